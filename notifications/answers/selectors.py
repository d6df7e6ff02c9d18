"""Reads of a member's notices."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.answers.models import Notice

# The inbox shows the latest notices above the alerts; older ones are on their pages.
RECENT = 10


def notices(user_id: int) -> QuerySet[Notice]:
    return Notice.objects.filter(user_id=user_id).order_by("-created_at", "-pk")


def recent(user_id: int) -> list[Notice]:
    return list(notices(user_id)[:RECENT])
