"""Reads of signs for the area's pages and the coordinators' start page."""

from __future__ import annotations

from django.db.models import QuerySet

from watch.areas.models import AreaStatus, WatchArea
from watch.areas.widgets import map_point
from watch.households.models import Membership, MembershipStatus
from watch.signs.models import Sign


def area_signs(area: WatchArea) -> list[Sign]:
    return list(area.signs.all())


def without_signs(areas: QuerySet[WatchArea]) -> QuerySet[WatchArea]:
    """The active areas of ``areas`` with no sign on their map."""
    return areas.filter(status=AreaStatus.ACTIVE, signs__isnull=True)


def as_points(signs: list[Sign]) -> list[list[int | str]]:
    """Signs as the area map's points (static/js/maps.js)."""
    return [
        map_point(sign.longitude, sign.latitude, f"{sign} ({sign.get_condition_display()})")
        for sign in signs
    ]


def member_households(area: WatchArea) -> list[Membership]:
    """The area's member households in address order, for their decals."""
    return list(
        area.memberships.filter(status=MembershipStatus.APPROVED)
        .select_related("household")
        .order_by("household__address_order", "pk")
    )
