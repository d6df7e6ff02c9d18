"""Reads of the police's events for the pages that show them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from official.police_events.models import PoliceEvent
from watch.areas.models import Municipality

LATEST = 5


def latest(
    municipalities: Iterable[Municipality | int] | QuerySet[Municipality, int],
    *,
    limit: int = LATEST,
) -> list[PoliceEvent]:
    """The newest events in ``municipalities`` (a list, or a query of their ids): one query."""
    return list(PoliceEvent.objects.filter(municipality__in=municipalities)[:limit])
