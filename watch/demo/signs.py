"""Signs on the active areas' maps: most areas have one to three where roads enter them,
a few have none yet (the coordinators' start page lists those), and one sign has been
reported damaged by a member."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from watch.areas.models import AreaStatus
from watch.signs.models import Sign, SignCondition, SignReport

if TYPE_CHECKING:
    from watch.demo.loader import Demo

SIGNED_SHARE = 0.75


def load_signs(demo: Demo) -> None:
    signs: list[Sign] = []
    for history in demo.histories:
        area = history.area
        if area.status != AreaStatus.ACTIVE or demo.rng.random() > SIGNED_SHARE:
            continue
        middle_lat = (area.min_lat + area.max_lat) / 2
        middle_lon = (area.min_lon + area.max_lon) / 2
        # Where roads would enter: the middle of the west, south and east edges.
        entrances = [
            (middle_lat, area.min_lon, "Infarten från väster"),
            (area.min_lat, middle_lon, "Infarten från söder"),
            (middle_lat, area.max_lon, "Infarten från öster"),
        ][: demo.rng.randint(1, 3)]
        put_up = (history.started + timedelta(days=demo.rng.randint(20, 60))).date()
        signs += [
            Sign(
                area=area,
                latitude=latitude,
                longitude=longitude,
                place=place,
                put_up_on=min(put_up, demo.now.date()),
                condition=SignCondition.GOOD,
                checked_at=demo.now - timedelta(days=demo.rng.randint(5, 200)),
            )
            for latitude, longitude, place in entrances
        ]
    Sign.objects.bulk_create(signs)
    if signs and demo.histories[0].members:
        damaged = signs[0]
        damaged.condition = SignCondition.DAMAGED
        damaged.checked_at = demo.now - timedelta(days=3)
        damaged.save(update_fields=["condition", "checked_at"])
        reporter = next(
            (
                user
                for history in demo.histories
                if history.area == damaged.area
                for user, _joined, left in history.members
                if left is None
            ),
            None,
        )
        SignReport.objects.create(
            sign=damaged,
            reported_by=reporter,
            condition=SignCondition.DAMAGED,
            note="Skylten har vält i stormen och ligger i diket.",
            reported_at=damaged.checked_at,
        )
