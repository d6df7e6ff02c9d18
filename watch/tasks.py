"""Celery tasks of the watch app: each calls one service."""

from __future__ import annotations

from celery import shared_task

from config.celery_app import RETRY_ON_OUTAGE
from watch.areas import upkeep
from watch.community import away
from watch.paper import texts
from watch.signs import services as signs


@shared_task
def purge_away_notices() -> int:
    """Run daily by beat: away notices are deleted once their household is back."""
    return away.purge_past()


@shared_task
def remind_area_confirmations() -> tuple[int, int]:
    """Run daily by beat: the yearly check that each area still lives."""
    return upkeep.send_reminders()


@shared_task
def remind_coordinators_of_areas_without_signs() -> int:
    """Run monthly by beat."""
    return signs.remind_coordinators()


@shared_task(**RETRY_ON_OUTAGE)
def send_paper_texts(text_ids: list[int]) -> None:
    """Texts to households on paper (watch.paper.texts), queued by name."""
    texts.send_paper_texts(text_ids)
