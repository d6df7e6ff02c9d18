"""Reads of members' push devices."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from accounts.models import User
from notifications.push.models import PushSubscription


def devices(user: User) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=user).order_by("created_at", "pk")


def devices_by_user(user_ids: list[int]) -> dict[int, list[PushSubscription]]:
    """Every device of these members, in one query: a send task's batch."""
    found: dict[int, list[PushSubscription]] = defaultdict(list)
    for device in PushSubscription.objects.filter(user_id__in=user_ids).order_by("pk"):
        found[device.user_id].append(device)
    return found
