"""Importing the police's events for the deployment's municipalities."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from official import fetching
from official.police_events import answers
from official.police_events.models import PoliceEvent
from watch.areas.models import Municipality

FEED = "police_events"


def import_events() -> int | None:
    """Fetch and store the latest events if it is the feed's turn (``fetching``).

    One call for every municipality of the deployment (``locationname`` takes several,
    separated by ``;``). Events are stored by the police's id, so an event seen again is
    updated, not doubled. Returns how many events were stored, or None if no call was
    made or it failed; a failure keeps every event already stored.
    """
    source = fetching.source(
        settings.POLICE_EVENTS_BACKEND,
        url=settings.POLICE_EVENTS_URL,
        recorded_file=settings.POLICE_EVENTS_RECORDED_FILE,
    )
    municipalities = {m.name.casefold(): m for m in Municipality.objects.all()}
    if source is None or not municipalities:
        return None
    interval = timedelta(seconds=settings.POLICE_EVENTS_INTERVAL_SECONDS)
    if not fetching.take_turn(FEED, interval):
        return None
    names = ";".join(sorted(m.name for m in municipalities.values()))
    try:
        events = answers.read(source.fetch({"locationname": names}))
    except (fetching.FeedUnavailable, answers.UnreadableAnswer) as error:
        fetching.failed(FEED, error, interval=interval)
        return None
    rows = [
        PoliceEvent(
            police_id=event.police_id,
            municipality=municipality,
            happened_at=event.happened_at,
            name=event.name,
            summary=event.summary,
            url=event.url,
            type=event.type,
        )
        for event in events
        # The filter asked for these places only; anything else in the answer is not ours.
        if (municipality := municipalities.get(event.location.casefold())) is not None
    ]
    PoliceEvent.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["police_id"],
        update_fields=[
            "municipality",
            "happened_at",
            "name",
            "summary",
            "url",
            "type",
            "imported_at",
        ],
    )
    keep = timedelta(days=settings.POLICE_EVENTS_KEEP_DAYS)
    PoliceEvent.objects.filter(happened_at__lt=timezone.now() - keep).delete()
    fetching.succeeded(FEED)
    return len(rows)
