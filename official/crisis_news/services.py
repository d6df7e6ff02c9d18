"""Importing Krisinformation's news for the deployment's municipalities and counties."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from official import fetching
from official.crisis_news import answers
from official.crisis_news.models import CrisisNews
from watch.areas.counties import COUNTIES
from watch.areas.models import Municipality

FEED = "crisis_news"
KEEP = timedelta(days=30)


def import_news() -> int | None:
    """Fetch the news if it is the feed's turn and store the items that concern the
    deployment: its municipalities by name, their counties, or all of Sweden. An item seen
    again is updated (Krisinformation updates its news as a crisis unfolds). Returns how
    many items were stored, or None if no call was made or it failed."""
    source = fetching.source(
        settings.CRISIS_NEWS_BACKEND,
        url=settings.CRISIS_NEWS_URL,
        recorded_file=settings.CRISIS_NEWS_RECORDED_FILE,
    )
    municipalities = list(Municipality.objects.all())
    if source is None or not municipalities:
        return None
    interval = timedelta(seconds=settings.CRISIS_NEWS_INTERVAL_SECONDS)
    if not fetching.take_turn(FEED, interval):
        return None
    try:
        items = answers.read(source.fetch({"allCounties": "True", "includeTest": "0"}))
    except (fetching.FeedUnavailable, answers.UnreadableAnswer) as error:
        fetching.failed(FEED, error, interval=interval)
        return None
    stored = 0
    with transaction.atomic():
        for item in items:
            concerned = [m for m in municipalities if concerns(item, m)]
            if not concerned:
                continue
            news, _created = CrisisNews.objects.update_or_create(
                identifier=item.identifier,
                defaults={
                    "headline": item.headline,
                    "preamble": item.preamble,
                    "web": item.web,
                    "published_at": item.published_at,
                    "updated_at": item.updated_at,
                },
            )
            news.municipalities.set(concerned)
            stored += 1
        CrisisNews.objects.filter(updated_at__lt=timezone.now() - KEEP).delete()
    fetching.succeeded(FEED)
    return stored


def concerns(item: answers.Item, municipality: Municipality) -> bool:
    names = {municipality.name.casefold(), f"{municipality.name}s".casefold()}
    for kind, description in item.areas:
        place = description.strip().casefold()
        if kind == "Country":
            return True
        if kind == "County" and place == COUNTIES.get(municipality.code[:2], "").casefold():
            return True
        if kind == "Municipality" and place.removesuffix(" kommun") in names:
            return True
    return False
