"""Krisinformation's recent news for the pages that show it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from official.crisis_news.models import CrisisNews

RECENT = timedelta(days=14)
SHOWN = 3


def recent(municipality_ids: Iterable[int]) -> list[CrisisNews]:
    """The newest items of the last two weeks for these municipalities: one query."""
    return list(
        CrisisNews.objects.filter(
            municipalities__in=list(municipality_ids),
            updated_at__gte=timezone.now() - RECENT,
        )
        .distinct()
        .order_by("-updated_at")[:SHOWN]
    )
