"""Reads of areas: one with its municipality, locating a point, the public GeoJSON,
shapes around an incident.

What is derived from the set of areas (the locate index, the GeoJSON bodies) is kept
under the areas' version, a token in the shared cache that every change replaces.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import get_language

from watch.areas.geometry import index, shapes
from watch.areas.models import AreaStatus, Municipality, WatchArea

# Shared by every process through the cache (Redis in production): an opaque token,
# replaced whenever an area or municipality changes. A token rather than a counter,
# so a bump never depends on the key still existing.
AREAS_VERSION_KEY = "watch:areas:version"


def areas_version() -> str:
    """The current version of the set of areas; one cache read when it exists."""
    return str(cache.get_or_set(AREAS_VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None))


def areas_changed() -> None:
    """Make every process drop what it derived from the areas (index, GeoJSON).

    Bumped at once, so this process sees its own change, and again after the
    commit, so another process that rebuilt from the not-yet-committed state in
    between does not keep it.
    """
    cache.set(AREAS_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(AREAS_VERSION_KEY, uuid.uuid4().hex, timeout=None))


ACTIVE_AREAS = index.LocateIndex[int](
    areas_version, lambda: WatchArea.objects.active().values_list("pk", "boundary").iterator()
)


def active_area_ids_at(lon: float, lat: float) -> list[int]:
    """The ids of the active areas whose boundary covers the point (edges count).

    From the in-memory index: one cache read (the version), no query.
    """
    return ACTIVE_AREAS.locate(lon, lat)


# A municipality's border is a background for maps, hundreds of points: not loaded with
# every area that names its municipality.
MUNICIPALITY_BORDER = ("municipality__boundary",)


def area_with_municipality(pk: int) -> WatchArea | None:
    """The area ``pk``, every field, with its municipality but for the border; ``None``
    if there is none.

    Read on every management page, in a query written once: the ORM's
    ``select_related().defer().get()`` took 0.87 ms to build and read it, this 0.36
    (docs/performance.md, "a tenth round"). ``tests/test_area_with_municipality.py``
    holds it to the models."""
    if not 0 < pk <= _LARGEST_KEY:  # a URL's <int:pk> has any number of digits
        return None
    for area in WatchArea.objects.raw(_AREA_WITH_MUNICIPALITY, [pk]):
        # The municipality's columns came as extra attributes of the area; they move to
        # the municipality, as select_related() would have put them.
        values = [vars(area).pop(f"municipality_{name}") for name in _MUNICIPALITY_FIELDS]
        area.municipality = Municipality.from_db(
            area._state.db, ["id", *_MUNICIPALITY_FIELDS], [area.municipality_id, *values]
        )
        return area
    return None


# The largest key a row can have (BigAutoField). SQLite's driver raises on a larger number
# where the ORM finds no row.
_LARGEST_KEY = 2**63 - 1
_MUNICIPALITY_FIELDS = ("name", "code", "slug", "how_to_start", "households_total")
_AREA_WITH_MUNICIPALITY = """
SELECT area.*, municipality.name AS municipality_name, municipality.code AS municipality_code,
    municipality.slug AS municipality_slug,
    municipality.how_to_start AS municipality_how_to_start,
    municipality.households_total AS municipality_households_total
FROM watch_watcharea AS area
    JOIN watch_municipality AS municipality ON municipality.id = area.municipality_id
WHERE area.id = %s
"""


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
        return list(
            WatchArea.objects.active()
            .filter(pk__in=hits)
            .select_related("municipality")
            .defer(*MUNICIPALITY_BORDER)
        )
    candidates = list(
        WatchArea.objects.filter(status__in=statuses)
        .bbox_contains(lon, lat)
        .select_related("municipality")
        .defer(*MUNICIPALITY_BORDER)
    )
    found = set(shapes.locate_among(((area.pk, area.boundary) for area in candidates), lon, lat))
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


def municipality_outlines_geojson() -> bytes:
    """The municipalities' borders as a FeatureCollection: the background of every map
    when the tile server cannot be reached. Kept under the areas' version (saving a
    municipality moves it), in the cache all processes share."""
    key = f"watch:municipalities-geojson:{areas_version()}"
    if (body := cache.get(key)) is None:
        body = _feature_collection(
            [
                {
                    "type": "Feature",
                    "id": municipality.pk,
                    "geometry": municipality.boundary,
                    "properties": {"name": municipality.name},
                }
                for municipality in Municipality.objects.filter(boundary__isnull=False)
            ]
        )
        cache.set(key, body, timeout=GEOJSON_CACHE_SECONDS)
    return body


def areas_intersecting(
    shape: shapes.Boundary, *, municipality_ids: set[int] | None = None
) -> list[WatchArea]:
    """Active areas that intersect (or touch) ``shape``: targeting around an incident."""
    candidates = WatchArea.objects.active().bbox_intersects(shapes.bbox_of(shape))
    if municipality_ids is not None:
        candidates = candidates.filter(municipality_id__in=municipality_ids)
    return [area for area in candidates if shapes.intersects(area.shape, shape)]


def overlapping_areas(area: WatchArea) -> list[WatchArea]:
    """Other areas of the same municipality whose boundary overlaps ``area``'s."""
    shape = area.shape
    candidates = {
        other.pk: other
        for other in WatchArea.objects.filter(municipality_id=area.municipality_id)
        .exclude(pk=area.pk)
        .exclude(status=AreaStatus.CLOSED)
        .bbox_intersects(shapes.bbox_of(shape))
    }
    keys = shapes.overlapping(shape, ((pk, other.shape) for pk, other in candidates.items()))
    return [candidates[pk] for pk in keys]
