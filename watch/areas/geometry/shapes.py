"""Watch-area geometry: the shapes as stored, measured and tested, with shapely.

There is no GDAL/GeoDjango in this project, so every geometric operation lives in
this package and nowhere else. Boundaries are stored as RFC 7946 GeoJSON (WGS 84,
longitude first), written by ``to_geojson`` after ``watch.areas.geometry.parsing``
has validated them, and read back with the cheaper ``load_trusted`` and
``locate_among`` (or held in memory by ``watch.areas.geometry.index.LocateIndex``).
Each area also keeps its bounding box in four indexed float columns, so the
database narrows "which areas could contain/intersect X" to a few candidates and
the functions here settle the exact answer for those.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

import numpy as np
import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Boundary: TypeAlias = Polygon | MultiPolygon


K = TypeVar("K")


DEFAULT_REGION_BBOX: tuple[float, float, float, float] = (10.5, 55.0, 24.5, 69.5)


# 7 decimals of a degree is about 1 cm on the ground: finer than any drawing tool
# and small enough that rounding never moves a vertex noticeably.
COORDINATE_DECIMALS = 7


# WGS 84 ellipsoid. Using the local radii of curvature instead of one mean Earth
# radius removes a ~0.5 % area bias at Swedish latitudes.
_WGS84_A = 6_378_137.0


_WGS84_E2 = 6.694379990141317e-3


class GeometryError(ValidationError):
    """A boundary or point that cannot be accepted; ``code`` says which rule it broke."""

    def __init__(
        self,
        message: StrOrPromise,
        code: str,
        params: dict[str, Any] | None = None,
    ) -> None:
        # Same positional order as ValidationError so pickling (Celery) round-trips.
        super().__init__(message, code=code, params=params)


@dataclass(frozen=True, slots=True)
class BBox:
    """An axis-aligned lon/lat box; edges are inclusive, like ``covers``."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def __post_init__(self) -> None:
        if not (self.min_lon <= self.max_lon and self.min_lat <= self.max_lat):
            raise ValueError(f"BBox minimum exceeds maximum: {self!r}")

    def intersects(self, other: BBox) -> bool:
        # Inclusive so that areas merely touching a shape stay candidates for
        # intersects(), which counts touching as intersecting.
        return (
            self.min_lon <= other.max_lon
            and other.min_lon <= self.max_lon
            and self.min_lat <= other.max_lat
            and other.min_lat <= self.max_lat
        )

    def contains_point(self, lon: float, lat: float) -> bool:
        return self.min_lon <= lon <= self.max_lon and self.min_lat <= lat <= self.max_lat

    def contains_bbox(self, other: BBox) -> bool:
        return (
            self.min_lon <= other.min_lon
            and other.max_lon <= self.max_lon
            and self.min_lat <= other.min_lat
            and other.max_lat <= self.max_lat
        )

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.min_lon, self.min_lat, self.max_lon, self.max_lat)


def region_bbox() -> BBox:
    """The configured service region (GEOMETRY_REGION_BBOX)."""
    return BBox(*(float(v) for v in getattr(settings, "GEOMETRY_REGION_BBOX", DEFAULT_REGION_BBOX)))


# --- measuring and converting -----------------------------------------------------


def _local_scale(lat: float) -> tuple[float, float]:
    """Metres per degree of longitude and of latitude at ``lat`` on the WGS 84 ellipsoid."""
    phi = math.radians(lat)
    w = 1.0 - _WGS84_E2 * math.sin(phi) ** 2
    meridional = _WGS84_A * (1.0 - _WGS84_E2) / w**1.5
    prime_vertical = _WGS84_A / math.sqrt(w)
    return (
        math.radians(1.0) * prime_vertical * math.cos(phi),
        math.radians(1.0) * meridional,
    )


def area_m2(geom: BaseGeometry) -> float:
    """Area in square metres, without pyproj.

    Projects onto a local equirectangular plane centred on the geometry's centroid
    latitude, using the ellipsoid's radii of curvature there. Because the centroid
    is the reference, the first-order scale error cancels across the shape: against
    the exact WGS 84 area, a 10 km box near Mariestad is off by ~1e-7 and a
    1° x 1° box by ~1e-5 -- far below the 1 % that matters for area limits.
    """
    if geom.is_empty:
        return 0.0
    centroid = geom.centroid
    lat0 = centroid.y if not centroid.is_empty else (geom.bounds[1] + geom.bounds[3]) / 2
    lon0 = centroid.x if not centroid.is_empty else (geom.bounds[0] + geom.bounds[2]) / 2
    kx, ky = _local_scale(lat0)
    projected = shapely.transform(
        geom, lambda xy: np.column_stack(((xy[:, 0] - lon0) * kx, (xy[:, 1] - lat0) * ky))
    )
    return float(projected.area)


def bbox_of(geom: BaseGeometry) -> BBox:
    """The geometry's bounding box, for the four indexed columns."""
    if geom.is_empty:
        raise ValueError("An empty geometry has no bounding box.")
    return BBox(*geom.bounds)


def to_geojson(geom: Boundary) -> dict[str, Any]:
    """RFC 7946 mapping: exteriors counter-clockwise, holes clockwise, rings closed,
    coordinates rounded to 7 decimals (~1 cm)."""
    # Orientation is only a SHOULD in RFC 7946, but some consumers (d3, some
    # antimeridian-aware tools) rely on it, and a canonical form keeps stored data diffable.
    oriented = shapely.orient_polygons(geom, exterior_cw=False)
    if isinstance(oriented, Polygon):
        return {"type": "Polygon", "coordinates": _polygon_coords(oriented)}
    if isinstance(oriented, MultiPolygon):
        return {
            "type": "MultiPolygon",
            "coordinates": [_polygon_coords(part) for part in oriented.geoms],
        }
    raise TypeError(f"Expected a Polygon or MultiPolygon, got {geom.geom_type}.")


def _polygon_coords(polygon: Polygon) -> list[list[list[float]]]:
    # shapely rings are always closed, so the last position already repeats the first.
    return [
        [
            [round(x, COORDINATE_DECIMALS), round(y, COORDINATE_DECIMALS)]
            for x, y, *_z in ring.coords
        ]
        for ring in (polygon.exterior, *polygon.interiors)
    ]


def outer_rings(geom: Boundary) -> list[list[tuple[float, float]]]:
    """Each part's outer ring as closed (lon, lat) pairs, rounded like ``to_geojson``.

    For formats without holes (a CAP <polygon> is one closed ring): the outer ring
    covers a hole too, which errs on the side of telling more people.
    """
    parts = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    return [
        [
            (round(x, COORDINATE_DECIMALS), round(y, COORDINATE_DECIMALS))
            for x, y, *_z in part.exterior.coords
        ]
        for part in parts
    ]


# --- predicates --------------------------------------------------------------------


def contains(boundary: BaseGeometry, lon: float, lat: float) -> bool:
    """Is the point inside the boundary or on its edge?"""
    # For a point, "intersects" is exactly "covered by", and intersects_xy skips
    # building a Point object.
    return bool(shapely.intersects_xy(boundary, lon, lat))


def intersects(a: BaseGeometry, b: BaseGeometry) -> bool:
    """Do the shapes share any point? Touching edges count: an alert for a drawn
    shape must reach areas that only border it."""
    return bool(shapely.intersects(a, b))


def overlapping(
    new_geom: BaseGeometry,
    others: Iterable[tuple[K, BaseGeometry]],
    *,
    tolerance_m2: float = 0.0,
) -> list[K]:
    """Keys of ``others`` whose overlap with ``new_geom`` has positive area.

    Shared edges or corners are not overlap: neighbouring areas are meant to
    touch. Containment is overlap. With ``tolerance_m2`` > 0, overlaps no larger
    than that are ignored too (slivers from hand-drawn adjacent borders).
    """
    # Prepare a private copy: preparing mutates the object, and the caller's may be
    # shared (e.g. cached by load_trusted) with other threads.
    subject = shapely.from_wkb(shapely.to_wkb(new_geom))
    shapely.prepare(subject)
    keys: list[K] = []
    for key, other in others:
        # The prepared intersects test is cheap and rejects most candidates.
        if not shapely.intersects(subject, other):
            continue
        # "T********": the interiors meet, i.e. the shared part has area.
        if not shapely.relate_pattern(subject, other, "T********"):
            continue
        if tolerance_m2 > 0 and area_m2(shapely.intersection(subject, other)) <= tolerance_m2:
            continue
        keys.append(key)
    return keys


def circle_polygon(lon: float, lat: float, radius_m: float, segments: int = 64) -> Polygon:
    """A polygon approximating the circle of ``radius_m`` metres around a point.

    Each vertex is the great-circle destination at that distance and bearing, on a
    sphere with the ellipsoid's mean radius of curvature at the centre, so the shape
    stays round to well under 1 % even at the maximum radius. The polygon is
    inscribed: its area is ``πr² · sin(2π/n)/(2π/n)`` (0.16 % short at 64 segments).
    """
    if segments < 3:
        raise ValueError("A circle needs at least 3 segments.")
    phi1, lam1 = math.radians(lat), math.radians(lon)
    w = 1.0 - _WGS84_E2 * math.sin(phi1) ** 2
    # sqrt(M·N): the sphere that best fits the ellipsoid around the centre.
    gaussian_radius = _WGS84_A * math.sqrt(1.0 - _WGS84_E2) / w
    delta = radius_m / gaussian_radius
    # Counter-clockwise from east, so the ring is already RFC 7946-oriented.
    bearings = np.linspace(math.pi / 2, math.pi / 2 - 2 * math.pi, segments, endpoint=False)
    phi2 = np.arcsin(
        math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * np.cos(bearings)
    )
    lam2 = lam1 + np.arctan2(
        np.sin(bearings) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * np.sin(phi2),
    )
    ring = np.round(np.column_stack((np.degrees(lam2), np.degrees(phi2))), COORDINATE_DECIMALS)
    return Polygon(ring)


# --- trusted stored data ------------------------------------------------------------


def load_trusted(value: dict[str, Any] | str | bytes | Boundary) -> Boundary:
    """Build a geometry from stored GeoJSON without validating it.

    Only for boundaries that passed ``parse_boundary`` and were stored with
    ``to_geojson``. JSON text is parsed once and cached by content (so a changed
    boundary can never be served stale); dicts are built directly, which is
    cheaper than hashing them.
    """
    if isinstance(value, Polygon | MultiPolygon):
        return value
    if isinstance(value, str | bytes):
        return _load_trusted_text(value)
    return _build_trusted(value)


@lru_cache(maxsize=4096)
def _load_trusted_text(text: str | bytes) -> Boundary:
    return _build_trusted(json.loads(text))


def _build_trusted(geometry: dict[str, Any]) -> Boundary:
    if geometry.get("type") == "Feature":
        geometry = geometry["geometry"]
    coordinates = geometry["coordinates"]
    # numpy converts nested lists faster than shapely.geometry.shape's own path.
    if geometry["type"] == "Polygon":
        return _trusted_polygon(coordinates)
    return MultiPolygon([_trusted_polygon(rings) for rings in coordinates])


def _trusted_polygon(rings: list[Any]) -> Polygon:
    return Polygon(
        np.asarray(rings[0], dtype=float), [np.asarray(r, dtype=float) for r in rings[1:]]
    )


def locate_among(
    candidates: Iterable[tuple[K, dict[str, Any] | str | bytes | Boundary]],
    lon: float,
    lat: float,
) -> list[K]:
    """Keys of the candidate boundaries that cover (lon, lat), edge included.

    The candidates are expected to be the few rows the SQL bounding-box prefilter
    returned, so each boundary is tested once; preparing it would cost more than it
    saves. Boundaries are trusted stored data (see ``load_trusted``).
    """
    x, y = float(lon), float(lat)
    return [
        key for key, boundary in candidates if shapely.intersects_xy(load_trusted(boundary), x, y)
    ]
