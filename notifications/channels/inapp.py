"""In-app channel: the inbox entry is the delivery row itself; sending marks it."""

from __future__ import annotations

from collections.abc import Iterator

from notifications.channels import Outcome
from notifications.models import Delivery


def send(deliveries: list[Delivery]) -> Iterator[list[Outcome]]:
    yield [Outcome(delivery.pk, ok=True) for delivery in deliveries]
