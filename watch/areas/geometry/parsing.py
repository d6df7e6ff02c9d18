"""Parsing untrusted GeoJSON and coordinates: boundaries, points and circles.

Untrusted input (editors drawing areas, uploads, form fields) goes through
``parse_boundary`` and ``parse_point``, which raise ``GeometryError`` -- a Django
``ValidationError`` -- with a translatable message and one of these stable codes:

    input_too_large, invalid_json, not_object, no_geometry, invalid_feature,
    feature_count, missing_type, wrong_type, missing_coordinates,
    malformed_coordinates, empty_geometry, invalid_coordinate,
    non_finite_coordinate, position_dimensions, ring_too_short, ring_not_closed,
    too_many_vertices, not_wgs84, outside_region, invalid_geometry,
    area_too_small, area_too_large, invalid_radius, radius_too_large

Settings, all optional (read on every call so ``override_settings`` works):

    GEOMETRY_REGION_BBOX          (10.5, 55.0, 24.5, 69.5)  Sweden, roughly
    GEOMETRY_MAX_VERTICES         5000
    GEOMETRY_MIN_AREA_M2          1_000
    GEOMETRY_MAX_AREA_M2          50_000_000  (50 km²)
    GEOMETRY_MAX_INPUT_BYTES      1_000_000
    GEOMETRY_MAX_CIRCLE_RADIUS_M  50_000
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.validation import explain_validity

from watch.areas.geometry import region
from watch.areas.geometry.shapes import (
    COORDINATE_DECIMALS,
    BBox,
    Boundary,
    GeometryError,
    area_m2,
    circle_polygon,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


DEFAULT_MAX_VERTICES = 5000


DEFAULT_MIN_AREA_M2 = 1_000.0


DEFAULT_MAX_AREA_M2 = 50_000_000.0


DEFAULT_MAX_INPUT_BYTES = 1_000_000


DEFAULT_MAX_CIRCLE_RADIUS_M = 50_000.0


# Longest user-supplied text quoted back in an error message.
_MAX_QUOTED = 40


# Longest string parse_point will try to read as a number; real coordinates are short.
MAX_NUMBER_TEXT = 64


def _max_vertices() -> int:
    return int(getattr(settings, "GEOMETRY_MAX_VERTICES", DEFAULT_MAX_VERTICES))


def _min_area_m2() -> float:
    return float(getattr(settings, "GEOMETRY_MIN_AREA_M2", DEFAULT_MIN_AREA_M2))


def _max_area_m2() -> float:
    return float(getattr(settings, "GEOMETRY_MAX_AREA_M2", DEFAULT_MAX_AREA_M2))


def max_input_bytes() -> int:
    return int(getattr(settings, "GEOMETRY_MAX_INPUT_BYTES", DEFAULT_MAX_INPUT_BYTES))


def _max_circle_radius_m() -> float:
    return float(getattr(settings, "GEOMETRY_MAX_CIRCLE_RADIUS_M", DEFAULT_MAX_CIRCLE_RADIUS_M))


def parse_boundary(value: str | bytes | dict[str, Any]) -> Boundary:
    """Validate a watch-area boundary and return it as a shapely (Multi)Polygon.

    Accepts GeoJSON text or an already-decoded object: a Polygon or MultiPolygon
    geometry, a Feature wrapping one, or a FeatureCollection holding exactly one such
    Feature (what most drawing tools and GIS exports produce for a single shape).
    Coordinates are rounded to 7 decimals (~1 cm) *before* validation, so what was
    validated is exactly what ``to_geojson`` stores. Altitudes are dropped.
    Raises ``GeometryError`` for anything else; never another exception.
    """
    obj = _decode(value)
    geometry = _unwrap_feature(obj)
    geom_type = geometry.get("type")
    if not isinstance(geom_type, str):
        raise GeometryError(
            _("This is not a GeoJSON geometry: it has no “type”."), code="missing_type"
        )
    if geom_type not in ("Polygon", "MultiPolygon"):
        raise GeometryError(
            _("A Polygon or MultiPolygon is expected, got %(type)s."),
            code="wrong_type",
            params={"type": _quote(geom_type)},
        )
    if "coordinates" not in geometry or geometry["coordinates"] is None:
        raise GeometryError(
            _("The %(type)s has no “coordinates”."),
            code="missing_coordinates",
            params={"type": geom_type},
        )

    raw_polygons = _raw_polygons(geometry["coordinates"], geom_type)

    # Count before looking at a single number: a huge input must be cheap to refuse.
    vertex_count = sum(len(ring) for rings in raw_polygons for ring in rings)
    if vertex_count > _max_vertices():
        raise GeometryError(
            _("The area has %(count)d points; at most %(limit)d are allowed. Simplify the shape."),
            code="too_many_vertices",
            params={"count": vertex_count, "limit": _max_vertices()},
        )

    bounds = [math.inf, math.inf, -math.inf, -math.inf]
    polygons = [
        [
            _parse_ring(ring, _polygon_path(geom_type, p) + f"[{r}]", bounds)
            for r, ring in enumerate(rings)
        ]
        for p, rings in enumerate(raw_polygons)
    ]
    region.check(BBox(*bounds), point=False)

    geom: Boundary
    if geom_type == "Polygon":
        geom = Polygon(polygons[0][0], polygons[0][1:])
    else:
        geom = MultiPolygon([(rings[0], rings[1:]) for rings in polygons])
    if not geom.is_valid:
        raise GeometryError(
            _("The shape is not a valid area (%(reason)s). Edges must not cross each other."),
            code="invalid_geometry",
            params={"reason": explain_validity(geom)},
        )

    area = area_m2(geom)
    if area < _min_area_m2():
        raise GeometryError(
            _(
                "The area is only %(area)d m²; it must be at least %(minimum)d m². "
                "Draw an area, not a line or a point."
            ),
            code="area_too_small",
            params={"area": round(area), "minimum": round(_min_area_m2())},
        )
    if area > _max_area_m2():
        raise GeometryError(
            _(
                "The area is %(area).1f km²; it may be at most %(maximum).1f km². "
                "Draw the neighbourhood, not a whole municipality or county."
            ),
            code="area_too_large",
            params={"area": area / 1e6, "maximum": _max_area_m2() / 1e6},
        )
    return geom


def parse_point(lon: Any, lat: Any) -> Point:
    """Validate a longitude/latitude pair (numbers or numeric strings) inside the region.

    Strings are accepted because the values usually come from a form's hidden
    fields; NaN, infinities, booleans and empty values are refused.
    """
    x = _coerce_number(lon, _("Longitude"))
    y = _coerce_number(lat, _("Latitude"))
    x, y = round(x, COORDINATE_DECIMALS), round(y, COORDINATE_DECIMALS)
    region.check(BBox(x, y, x, y), point=True)
    return Point(x, y)


def circle(lon: Any, lat: Any, radius_m: Any, segments: int = 64) -> Polygon:
    """The circle of ``radius_m`` metres around a point, from untrusted input
    (``shapes.circle_polygon`` draws it)."""
    center = parse_point(lon, lat)
    radius = _coerce_number(radius_m, _("Radius"))
    if radius <= 0:
        raise GeometryError(_("The radius must be greater than zero."), code="invalid_radius")
    if radius > _max_circle_radius_m():
        raise GeometryError(
            _("The radius may be at most %(limit)d m."),
            code="radius_too_large",
            params={"limit": round(_max_circle_radius_m())},
        )
    return circle_polygon(center.x, center.y, radius, segments)


def _decode(value: Any) -> dict[str, Any]:
    if isinstance(value, str | bytes | bytearray):
        limit = max_input_bytes()
        # len(str) is a lower bound on its UTF-8 size, so the encode is skipped for
        # hopeless inputs; surrogatepass because a lone surrogate must not crash here.
        size = len(value)
        if size <= limit and isinstance(value, str):
            size = len(value.encode("utf-8", "surrogatepass"))
        if size > limit:
            raise GeometryError(
                _("The boundary is too large (%(size)d bytes; at most %(limit)d bytes)."),
                code="input_too_large",
                params={"size": size, "limit": limit},
            )
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            # ValueError covers JSONDecodeError, bad UTF-8 and over-long integers;
            # RecursionError is what absurdly deep nesting raises.
            raise GeometryError(_("The boundary is not valid JSON."), code="invalid_json") from None
    if not isinstance(value, dict):
        raise GeometryError(
            _("The boundary must be a GeoJSON object, got %(kind)s."),
            code="not_object",
            params={"kind": _json_kind(value)},
        )
    return value


def _unwrap_feature(obj: dict[str, Any]) -> dict[str, Any]:
    if obj.get("type") == "FeatureCollection":
        features = obj.get("features")
        count = len(features) if isinstance(features, list) else 0
        if not isinstance(features, list) or count != 1:
            raise GeometryError(
                _("A FeatureCollection must contain exactly one feature, got %(count)d."),
                code="feature_count",
                params={"count": count},
            )
        obj = features[0]
        if not isinstance(obj, dict) or obj.get("type") != "Feature":
            raise GeometryError(
                _("The FeatureCollection must contain a Feature."), code="invalid_feature"
            )
    if obj.get("type") == "Feature":
        geometry = obj.get("geometry")
        if not isinstance(geometry, dict):
            raise GeometryError(_("The Feature has no geometry."), code="no_geometry")
        return geometry
    return obj


def _raw_polygons(coordinates: Any, geom_type: str) -> list[list[list[Any]]]:
    """Check nesting down to ring level only, cheaply, so vertices can be counted."""
    if geom_type == "Polygon":
        polygons = [_raw_rings(coordinates, "coordinates")]
    else:
        _require_list(coordinates, "coordinates", _("a list of polygons"))
        if not coordinates:
            raise _empty()
        polygons = [_raw_rings(rings, f"coordinates[{p}]") for p, rings in enumerate(coordinates)]
    return polygons


def _raw_rings(rings: Any, path: str) -> list[list[Any]]:
    _require_list(rings, path, _("a list of rings"))
    if not rings:
        raise _empty()
    for r, ring in enumerate(rings):
        _require_list(ring, f"{path}[{r}]", _("a ring (a list of positions)"))
    return rings


def _polygon_path(geom_type: str, index: int) -> str:
    return "coordinates" if geom_type == "Polygon" else f"coordinates[{index}]"


def _parse_ring(ring: list[Any], path: str, bounds: list[float]) -> list[tuple[float, float]]:
    """Turn one raw ring into (lon, lat) tuples, widening ``bounds`` as it goes."""
    points: list[tuple[float, float]] = []
    for i, position in enumerate(ring):
        where = f"{path}[{i}]"
        _require_list(position, where, _("a position [longitude, latitude]"))
        if position and isinstance(position[0], list):
            # Checked before the count so a mislabelled MultiPolygon is named as such
            # rather than reported as a ring of one odd-sized position.
            raise _too_deep(where)
        if not 2 <= len(position) <= 3:
            raise GeometryError(
                _(
                    "Position %(path)s has %(count)d numbers; it must have 2 (longitude, "
                    "latitude) or 3 (with altitude)."
                ),
                code="position_dimensions",
                params={"path": where, "count": len(position)},
            )
        # The altitude is validated like the others but then dropped: areas are 2D.
        lon = _coordinate(position[0], f"{where}[0]")
        lat = _coordinate(position[1], f"{where}[1]")
        if len(position) == 3:
            _coordinate(position[2], f"{where}[2]")
        points.append((lon, lat))
        bounds[0] = min(bounds[0], lon)
        bounds[1] = min(bounds[1], lat)
        bounds[2] = max(bounds[2], lon)
        bounds[3] = max(bounds[3], lat)
    # Counted after the positions so that mis-nesting gets the more useful message.
    if len(ring) < 4:
        raise GeometryError(
            _(
                "Ring %(path)s has %(count)d positions; a closed ring needs at least 4 "
                "(three corners and the first one repeated)."
            ),
            code="ring_too_short",
            params={"path": path, "count": len(ring)},
        )
    # RFC 7946 requires the ring to end where it starts. Closing it silently would
    # hide a truncated upload, so say so instead. Altitude is ignored in the
    # comparison because it is discarded anyway.
    if points[0] != points[-1]:
        raise GeometryError(
            _("Ring %(path)s is not closed: its last position must repeat its first."),
            code="ring_not_closed",
            params={"path": path},
        )
    return points


def _coordinate(value: Any, path: str) -> float:
    # bool is an int subclass, and JSON true/false are never coordinates.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        if isinstance(value, list):
            raise _too_deep(path)
        raise GeometryError(
            _("Coordinate %(path)s must be a number, got %(value)s."),
            code="invalid_coordinate",
            params={"path": path, "value": _quote_value(value)},
        )
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        number = math.inf
    if not math.isfinite(number):
        raise GeometryError(
            _("Coordinate %(path)s must be a finite number, got %(value)s."),
            code="non_finite_coordinate",
            params={"path": path, "value": _quote_value(value)},
        )
    return round(number, COORDINATE_DECIMALS)


def _coerce_number(value: Any, name: StrOrPromise) -> float:
    if isinstance(value, str):
        text = value.strip()
        if not text or len(text) > MAX_NUMBER_TEXT:
            number = None
        else:
            try:
                number = float(text)
            except ValueError:
                number = None
    elif isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        number = None
    else:
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
    if number is None:
        raise GeometryError(
            _("%(name)s must be a number, got %(value)s."),
            code="invalid_coordinate",
            params={"name": name, "value": _quote_value(value)},
        )
    if not math.isfinite(number):
        raise GeometryError(
            _("%(name)s must be a finite number, got %(value)s."),
            code="non_finite_coordinate",
            params={"name": name, "value": _quote_value(value)},
        )
    return number


def _require_list(value: Any, path: str, expected: StrOrPromise) -> None:
    if not isinstance(value, list):
        raise GeometryError(
            _(
                "The coordinates are nested wrongly at %(path)s: "
                "expected %(expected)s, got %(kind)s."
            ),
            code="malformed_coordinates",
            params={"path": path, "expected": expected, "kind": _json_kind(value)},
        )


def _too_deep(path: str) -> GeometryError:
    return GeometryError(
        _(
            "The coordinates are nested too deeply at %(path)s. "
            "Is this a MultiPolygon labelled as a Polygon?"
        ),
        code="malformed_coordinates",
        params={"path": path},
    )


def _empty() -> GeometryError:
    return GeometryError(_("The area has no coordinates."), code="empty_geometry")


def _json_kind(value: Any) -> StrOrPromise:
    # Describes a value by its JSON type; quoting it could echo megabytes back.
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("a boolean")
    if isinstance(value, int | float | Decimal):
        return _("a number")
    if isinstance(value, str):
        return _("a string")
    if isinstance(value, list | tuple):
        return _("a list")
    if isinstance(value, dict):
        return _("an object")
    return type(value).__name__


def _quote(text: str) -> str:
    # A JSON escape can smuggle in a lone surrogate, which no page can encode.
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= _MAX_QUOTED else text[: _MAX_QUOTED - 1] + "…"


def _quote_value(value: Any) -> StrOrPromise:
    # Spelled as JSON would, since that is what the user sent.
    if isinstance(value, str):
        return _quote(json.dumps(value))
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return _quote(str(value))
    return _json_kind(value)
