"""In-app channel: the inbox entry is the delivery row itself; sending marks it."""

from __future__ import annotations

from notifications.channels import Outcome
from notifications.models import Delivery


def send(deliveries: list[Delivery]) -> list[Outcome]:
    return [Outcome(delivery.pk, ok=True) for delivery in deliveries]
