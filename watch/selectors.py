"""Reads shared by views, services and tasks."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from accounts.models import User
from watch import geometry
from watch.models import (
    AreaStatus,
    AuditEntry,
    Household,
    HouseholdMember,
    Membership,
    MembershipStatus,
    WatchArea,
)


def household_of(user: User) -> Household | None:
    return Household.objects.filter(members__user=user).first()


def current_membership(household: Household) -> Membership | None:
    """The household's open membership (approved or requested), if any."""
    return (
        household.memberships.filter(
            status__in=[MembershipStatus.APPROVED, MembershipStatus.REQUESTED]
        )
        .select_related("area__municipality")
        .first()
    )


# Shared by every process through the cache (Redis in production): an opaque token,
# replaced whenever an area or municipality changes. A token rather than a counter,
# so a bump never depends on the key still existing.
AREAS_VERSION_KEY = "watch:areas:version"


def areas_version() -> str:
    """The current version of the set of areas; one cache read when it exists."""
    return cache.get_or_set(AREAS_VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def areas_changed() -> None:
    """Make every process drop what it derived from the areas (index, GeoJSON).

    Bumped at once, so this process sees its own change, and again after the
    commit, so another process that rebuilt from the not-yet-committed state in
    between does not keep it.
    """
    cache.set(AREAS_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(AREAS_VERSION_KEY, uuid.uuid4().hex, timeout=None))


ACTIVE_AREAS = geometry.LocateIndex[int](
    areas_version, lambda: WatchArea.objects.active().values_list("pk", "boundary").iterator()
)


def active_area_ids_at(lon: float, lat: float) -> list[int]:
    """The ids of the active areas whose boundary covers the point (edges count).

    From the in-memory index: one cache read (the version), no query.
    """
    return ACTIVE_AREAS.locate(lon, lat)


def areas_covering(
    lon: float, lat: float, *, statuses: tuple[str, ...] = (AreaStatus.ACTIVE,)
) -> list[WatchArea]:
    """The areas whose boundary covers the point.

    Active areas come from the in-memory index: no query unless a point hits.
    Other statuses take one indexed bounding-box query that narrows 10,000 areas
    to the few whose box holds the point; shapely then tests only those.
    """
    if tuple(statuses) == (AreaStatus.ACTIVE,):
        hits = active_area_ids_at(lon, lat)
        if not hits:
            return []
        # status filtered again: a tree a moment out of date must not resurrect an area.
        return list(WatchArea.objects.active().filter(pk__in=hits).select_related("municipality"))
    candidates = list(
        WatchArea.objects.filter(status__in=statuses)
        .bbox_contains(lon, lat)
        .select_related("municipality")
    )
    found = set(geometry.locate_among(((area.pk, area.boundary) for area in candidates), lon, lat))
    return [area for area in candidates if area.pk in found]


# Cached bodies are found by version, so a change needs no deletion; the lifetime only
# lets the bodies of old versions go.
GEOJSON_CACHE_SECONDS = 24 * 3600
# The bodies this process served for one version of the areas, by language and
# municipality: reading a body from the cache moved all of it (600 kB for 1,000 areas)
# on every request. Replaced whole when the version changes — and only then: like the
# locate index, they rely on every change to the areas moving the version (watch/apps.py).
_served: tuple[str, dict[tuple[str, str], bytes]] = ("", {})


def public_areas_geojson(*, municipality_slug: str = "", exclude: int | None = None) -> bytes:
    """The active areas (of one municipality, if given) as a GeoJSON FeatureCollection.

    The public map asks for the same few bodies on every page view; they change only
    with the areas, so they are kept under the areas' version, in this process and
    in the cache it shares with the others. The editor's ``exclude`` variant (the
    neighbours of the area being edited) is per area and rare, so it is not.
    """
    if exclude is not None or len(municipality_slug) > 100:
        return _feature_collection(_area_features(municipality_slug, exclude))
    version = areas_version()
    served = _served_for(version)
    variant = (get_language(), municipality_slug)
    if (body := served.get(variant)) is not None:
        return body
    key = f"watch:areas-geojson:{version}:{variant[0]}:{municipality_slug}"
    if (body := cache.get(key)) is None:
        features = _area_features(municipality_slug, None)
        body = _feature_collection(features)
        # An unknown slug is not kept: anyone could otherwise fill memory with them.
        if municipality_slug and not features:
            return body
        cache.set(key, body, timeout=GEOJSON_CACHE_SECONDS)
    served[variant] = body
    return body


def _served_for(version: str) -> dict[tuple[str, str], bytes]:
    # Replaced whole, so that no request sees two versions mixed.
    global _served
    if _served[0] != version:
        _served = (version, {})
    return _served[1]


def _area_features(municipality_slug: str, exclude: int | None) -> list[dict[str, Any]]:
    areas = WatchArea.objects.active().select_related("municipality").order_by("pk")
    if municipality_slug:
        areas = areas.filter(municipality__slug=municipality_slug)
    if exclude is not None:
        areas = areas.exclude(pk=exclude)
    return [
        {
            "type": "Feature",
            "id": area.pk,
            "geometry": area.boundary,
            "properties": {
                "name": area.name,
                "municipality": area.municipality.name,
                "url": area.get_absolute_url(),
            },
        }
        for area in areas
    ]


def _feature_collection(features: list[dict[str, Any]]) -> bytes:
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, cls=DjangoJSONEncoder
    ).encode()


def areas_intersecting(
    shape: geometry.Boundary, *, municipality_ids: set[int] | None = None
) -> list[WatchArea]:
    """Active areas that intersect (or touch) ``shape``: targeting around an incident."""
    candidates = WatchArea.objects.active().bbox_intersects(geometry.bbox_of(shape))
    if municipality_ids is not None:
        candidates = candidates.filter(municipality_id__in=municipality_ids)
    return [area for area in candidates if geometry.intersects(area.shape, shape)]


def overlapping_areas(area: WatchArea) -> list[WatchArea]:
    """Other areas of the same municipality whose boundary overlaps ``area``'s."""
    shape = area.shape
    candidates = {
        other.pk: other
        for other in WatchArea.objects.filter(municipality_id=area.municipality_id)
        .exclude(pk=area.pk)
        .exclude(status=AreaStatus.CLOSED)
        .bbox_intersects(geometry.bbox_of(shape))
    }
    keys = geometry.overlapping(shape, ((pk, other.shape) for pk, other in candidates.items()))
    return [candidates[pk] for pk in keys]


def area_members(area: WatchArea) -> QuerySet[HouseholdMember]:
    """Members of the area's approved households, with their households, in address order."""
    return (
        HouseholdMember.objects.filter(
            household__memberships__area=area,
            household__memberships__status=MembershipStatus.APPROVED,
        )
        .select_related("user", "household")
        .order_by("household__street_address", "user__full_name")
    )


def area_households(area: WatchArea) -> QuerySet[Membership]:
    """The area's approved memberships in address order, with households and their members."""
    return (
        area.memberships.filter(status=MembershipStatus.APPROVED)
        .select_related("household")
        .prefetch_related(
            Prefetch(
                "household__members",
                queryset=HouseholdMember.objects.select_related("user").order_by("user__full_name"),
            )
        )
        .order_by("household__street_address", "pk")
    )


def household_locations(area: WatchArea) -> QuerySet[Household]:
    """Where the area's member households are: just what a map marker needs."""
    return Household.objects.filter(
        memberships__area=area, memberships__status=MembershipStatus.APPROVED
    ).only("street_address", "town", "longitude", "latitude")


def pending_requests(area: WatchArea) -> QuerySet[Membership]:
    return (
        area.memberships.filter(status=MembershipStatus.REQUESTED)
        .select_related("household", "requested_by")
        .order_by("requested_at")
    )


def areas_with_counts(filter_q: Q) -> QuerySet[WatchArea]:
    """Areas with the number of households, members and pending requests, in one query."""
    approved = Q(memberships__status=MembershipStatus.APPROVED)
    return (
        WatchArea.objects.filter(filter_q)
        .select_related("municipality")
        .annotate(
            household_count=Count("memberships", filter=approved, distinct=True),
            member_count=Count("memberships__household__members", filter=approved, distinct=True),
            pending_count=Count(
                "memberships",
                filter=Q(memberships__status=MembershipStatus.REQUESTED),
                distinct=True,
            ),
        )
    )


def sharing_neighbours(household: Household, area: WatchArea) -> QuerySet[HouseholdMember]:
    """Members of the area's other approved households who share their contact details."""
    return area_members(area).filter(share_contact_details=True).exclude(household=household)


def private_neighbour_households(household: Household, area: WatchArea) -> int:
    """How many of the area's other approved households show nobody's details."""
    return (
        area.memberships.filter(status=MembershipStatus.APPROVED)
        .exclude(household=household)
        .exclude(household__members__share_contact_details=True)
        .count()
    )


def start_of_day(day: date) -> datetime:
    """Midnight at the start of ``day`` in the site's time zone (Europe/Stockholm)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_log(
    visible: Q,
    *,
    action: str = "",
    area: WatchArea | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries matching ``visible`` and the filters, newest first, with their names."""
    entries = AuditEntry.objects.filter(visible)
    if action:
        entries = entries.filter(action=action)
    if area is not None:
        entries = entries.filter(area=area)
    # Whole local days, as bounds on the indexed timestamp.
    if since is not None:
        entries = entries.filter(created_at__gte=start_of_day(since))
    if until is not None:
        entries = entries.filter(created_at__lt=start_of_day(until + timedelta(days=1)))
    return entries.select_related("actor", "subject", "area", "municipality").order_by(
        "-created_at", "-pk"
    )
