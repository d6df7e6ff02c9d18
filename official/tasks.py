"""Beat tasks reading the official providers; each decides itself whether it is its
turn to call (official.fetching), so beat may fire them every minute."""

from __future__ import annotations

from celery import shared_task

from official.crisis_news import services as crisis_news
from official.police_events import services as police_events
from official.public_warnings import services as public_warnings


@shared_task(ignore_result=True)
def import_police_events() -> None:
    police_events.import_events()


@shared_task(ignore_result=True)
def import_public_warnings() -> None:
    public_warnings.import_warnings()


@shared_task(ignore_result=True)
def import_crisis_news() -> None:
    crisis_news.import_news()
