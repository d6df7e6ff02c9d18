"""What neighbours do together in the demo: meetings, away notices and observations."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw
from shapely.geometry import shape as geojson_shape

from watch.areas.models import AreaStatus
from watch.community.models import (
    AwayNotice,
    Meeting,
    MeetingKind,
    Observation,
    ObservationStatus,
    ObservationUpdate,
)
from watch.demo import content, places

if TYPE_CHECKING:
    from watch.demo.loader import AreaHistory, Demo


def load_meetings(demo: Demo) -> list[Meeting]:
    """A start meeting in every area that has started; neighbour meetings, some past and
    some coming (one cancelled), to which the members were invited by alert."""
    rows = []
    for history in demo.histories:
        if history.area.status == AreaStatus.PROPOSED:
            continue
        rows.append(meeting(demo, history, MeetingKind.START, history.started, "Startmöte"))
    active = [h for h in demo.histories if h.area.status == AreaStatus.ACTIVE]
    marieholm = next(h for h in active if h.area.name == "Marieholm")
    coming = [marieholm, *demo.rng.sample([h for h in active if h is not marieholm], 3)]
    for days, history in zip((12, 19, 26, 40), coming, strict=True):
        rows.append(
            meeting(demo, history, MeetingKind.NEIGHBOURS, demo.days_ago(-days), "Grannmöte")
        )
    rows[-1].cancelled, rows[-1].sequence = True, 1
    for history in demo.rng.sample(active, 8):
        held = demo.days_ago(demo.rng.randint(20, (demo.now - history.started).days + 20))
        if held > history.started:
            rows.append(meeting(demo, history, MeetingKind.NEIGHBOURS, held, "Grannmöte"))
    return Meeting.objects.bulk_create(rows)


def meeting(demo: Demo, history: AreaHistory, kind: str, day: datetime, title: str) -> Meeting:
    starts = timezone.localtime(day).replace(hour=18, minute=30, second=0, microsecond=0)
    return Meeting(
        area=history.area,
        kind=kind,
        title=f"{title} i {history.area.name}",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1, minutes=30),
        location=demo.rng.choice(content.MEETING_PLACES),
        description=demo.rng.choice(content.MEETING_TEXTS),
        created_by=demo.users["samordnare@example.com"],
        created_at=min(starts - timedelta(days=21), demo.days_ago(2)),
    )


def load_away_notices(demo: Demo) -> None:
    today = timezone.localdate(demo.now)
    rows = []
    for history in demo.histories:
        if history.area.status != AreaStatus.ACTIVE or not history.households:
            continue
        for household in demo.rng.sample(history.households, min(2, len(history.households))):
            if demo.rng.random() < 0.4:
                continue
            starts = today + timedelta(days=demo.rng.randint(-3, 25))
            rows.append(
                AwayNotice(
                    household=household,
                    starts_on=starts,
                    ends_on=starts + timedelta(days=demo.rng.randint(3, 14)),
                    tell_neighbours=demo.rng.random() < 0.5,
                    note=demo.rng.choice(content.AWAY_NOTES),
                    created_at=demo.days_ago(demo.rng.randint(1, 10)),
                )
            )
    AwayNotice.objects.bulk_create(rows)


def load_observations(demo: Demo) -> None:
    """Reports of every category over the year; most older ones handled; a few with a
    photo drawn here."""
    categories = list(content.OBSERVATIONS)
    active = [h for h in demo.histories if h.area.status == AreaStatus.ACTIVE and h.members]
    rows = []
    reporters = []
    for n in range(72):
        history = demo.rng.choice(active)
        reporter, joined, _left = demo.rng.choice(history.members)
        observed = demo.days_ago(demo.rng.uniform(0.2, (demo.now - joined).days or 1))
        category = categories[n % len(categories)]
        (lon, lat) = places.points_inside(geojson_shape(history.area.boundary), 1, demo.rng)[0]
        handled = demo.now - observed > timedelta(days=10) and demo.rng.random() < 0.75
        observation = Observation(
            reporter=reporter,
            municipality=history.area.municipality,
            area=history.area,
            category=category,
            observed_at=observed,
            created_at=observed + timedelta(minutes=demo.rng.randint(5, 300)),
            longitude=lon,
            latitude=lat,
            description=demo.rng.choice(content.OBSERVATIONS[category]),
            handled_at=observed + timedelta(days=demo.rng.uniform(1, 9)) if handled else None,
            handled_by=demo.users["samordnare@example.com"] if handled else None,
        )
        # Every fifth closed one went to the police; every third open one older than
        # two days is being handled.
        if handled:
            observation.status = (
                ObservationStatus.POLICE if n % 5 == 0 else ObservationStatus.HANDLED
            )
        elif n % 3 == 0 and demo.now - observed > timedelta(days=2):
            observation.status = ObservationStatus.HANDLING
        if n % 14 == 0:
            observation.photo = default_storage.save(
                f"observations/demo/{n:02d}.jpg", ContentFile(photo(demo, category))
            )
        rows.append(observation)
        reporters.append([user for user, _joined, _left in history.members if user != reporter])
    # A neighbour reported the last one too, two hours later: merged into it.
    original = rows[-1]
    duplicate = Observation(
        reporter=demo.rng.choice(reporters[-1] or [original.reporter]),
        municipality=original.municipality,
        area=original.area,
        category=category,
        observed_at=original.observed_at + timedelta(hours=2),
        created_at=original.created_at + timedelta(hours=2),
        longitude=original.longitude + 0.0002,
        latitude=original.latitude,
        description=demo.rng.choice(content.OBSERVATIONS[category]),
        status=original.status,
        handled_at=original.handled_at,
        handled_by=original.handled_by,
    )
    Observation.objects.bulk_create([*rows, duplicate])
    coordinator = demo.users["samordnare@example.com"]
    Observation.objects.filter(pk=duplicate.pk).update(merged_into=original)
    ObservationUpdate.objects.create(
        observation=duplicate,
        status=original.status,
        merged_into=original,
        author=coordinator,
        created_at=duplicate.created_at + timedelta(hours=1),
    )
    ObservationUpdate.objects.bulk_create(
        ObservationUpdate(
            observation=row,
            status=row.status,
            message=content.OBSERVATION_ANSWERS[row.status],
            author=coordinator,
            created_at=row.handled_at or row.created_at + timedelta(days=1),
        )
        for row in rows
        if row.status != ObservationStatus.RECEIVED
    )


def photo(demo: Demo, category: str) -> bytes:
    """A wall with something on it, drawn from the seed: a stand-in for a phone's photo."""
    image = Image.new("RGB", (640, 480), (176, 168, 156))
    draw = ImageDraw.Draw(image)
    for row in range(0, 480, 24):  # bricks
        for column in range(-40 if row % 48 else 0, 640, 80):
            draw.rectangle((column, row, column + 76, row + 20), fill=(166, 92, 72))
    colours = {"graffiti": (40, 90, 220), "vandalism": (20, 20, 20)}
    for _ in range(6):
        points = [(demo.rng.randint(80, 560), demo.rng.randint(120, 360)) for _ in range(5)]
        draw.line(points, fill=colours.get(category, (230, 200, 40)), width=14)
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=80)
    return output.getvalue()
