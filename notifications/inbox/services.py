"""Writes of a member's inbox: what they have read."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import User
from notifications.alerts.models import Channel, Delivery
from notifications.inbox import selectors


def mark_read(delivery: Delivery) -> None:
    """An inbox entry the member opened; another channel's copy is not an entry."""
    if delivery.channel == Channel.INAPP and delivery.read_at is None:
        Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=timezone.now())


def mark_all_read(user: User) -> None:
    selectors.inbox(user.pk).filter(read_at__isnull=True).update(read_at=timezone.now())
