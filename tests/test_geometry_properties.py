"""Property-based tests for watch.areas.geometry: hostile input never escapes as anything but
GeometryError, and valid shapes survive storage and answer point queries correctly."""

from __future__ import annotations

import itertools
import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon

from watch.areas.geometry.parsing import (
    DEFAULT_MAX_AREA_M2,
    DEFAULT_MIN_AREA_M2,
    circle,
    parse_boundary,
)
from watch.areas.geometry.shapes import (
    BBox,
    GeometryError,
    area_m2,
    contains,
    overlapping,
    region_bbox,
    to_geojson,
)

# No example database, so runs do not pile up examples under .hypothesis/ in the checkout.
fast = hypothesis_settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

ERROR_CODES = {
    "input_too_large",
    "invalid_json",
    "not_object",
    "no_geometry",
    "invalid_feature",
    "feature_count",
    "missing_type",
    "wrong_type",
    "missing_coordinates",
    "malformed_coordinates",
    "empty_geometry",
    "invalid_coordinate",
    "non_finite_coordinate",
    "position_dimensions",
    "ring_too_short",
    "ring_not_closed",
    "too_many_vertices",
    "not_wgs84",
    "outside_region",
    "invalid_geometry",
    "area_too_small",
    "area_too_large",
}

# Metres per degree near Mariestad's latitude are good enough to size test shapes.
M_PER_DEG_LAT = 111_413.0

# --- arbitrary JSON-ish input ---------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=6) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=40,
)

# Shapes of GeoJSON with any JSON in the coordinates.
geojson_like = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Polygon", "MultiPolygon", "Point", "LineString", "polygon"])
        # A lone surrogate: valid as a JSON escape, but text no page can encode.
        | st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
        "coordinates": json_values,
    }
)

# Where a ring's corners are drawn from: a few km² near Mariestad, a few hundred m²,
# a whole county, Mariestad with latitude and longitude swapped, and anywhere at all.
SPREADS = [
    ((13.80, 13.83), (58.70, 58.72)),
    ((13.8200, 13.8203), (58.7100, 58.7102)),
    ((13.0, 14.5), (58.0, 59.0)),
    ((58.70, 58.72), (13.80, 13.83)),
    ((-200.0, 200.0), (-100.0, 100.0)),
]


@st.composite
def nearly_valid_polygons(draw: st.DrawFn) -> dict[str, Any]:
    """Plausible (Multi)Polygons, sometimes with one thing broken, so that examples
    get past the structural checks to the ring, region, validity and area checks."""
    (lon_range, lat_range) = draw(st.sampled_from(SPREADS))
    position = st.tuples(st.floats(*lon_range), st.floats(*lat_range)).map(list)

    def ring() -> list[Any]:
        corners = draw(st.lists(position, min_size=3, max_size=7))
        return [*corners, corners[0]] if draw(st.integers(0, 9)) else corners

    polygons = [
        [ring() for _ in range(draw(st.integers(1, 2)))] for _ in range(draw(st.integers(1, 2)))
    ]
    if draw(st.integers(0, 3)) == 0:
        # Break one coordinate, position or ring.
        rings = polygons[draw(st.integers(0, len(polygons) - 1))]
        positions = rings[draw(st.integers(0, len(rings) - 1))]
        at = draw(st.integers(0, len(positions) - 1))
        mutation = draw(st.sampled_from(["coordinate", "nan", "extra_numbers", "one_number"]))
        if mutation == "coordinate":
            positions[at][draw(st.integers(0, 1))] = draw(scalars)
        elif mutation == "nan":
            positions[at][draw(st.integers(0, 1))] = draw(st.sampled_from([math.nan, math.inf]))
        elif mutation == "extra_numbers":
            positions[at] = [*positions[at], 1.0, 2.0]
        else:
            positions[at] = positions[at][:1]
    if len(polygons) == 1 and draw(st.booleans()):
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


features = (geojson_like | nearly_valid_polygons()).map(
    lambda g: {"type": "Feature", "properties": {}, "geometry": g}
)
collections = st.lists(features | json_values, max_size=2).map(
    lambda fs: {"type": "FeatureCollection", "features": fs}
)
nearly_valid = nearly_valid_polygons()
structured = json_values | geojson_like | nearly_valid | features | collections
hostile_input = (
    structured
    | structured.map(json.dumps)
    | structured.map(lambda v: json.dumps(v).encode())
    | st.text(max_size=50)
    | st.binary(max_size=50)
    | nearly_valid
    | nearly_valid.map(json.dumps)
)


@fast
@given(hostile_input)
def test_parse_boundary_returns_a_valid_area_or_raises_geometry_error(value: Any):
    error: GeometryError | None = None
    try:
        geom = parse_boundary(value)
    except GeometryError as caught:
        error = caught
    if error is not None:
        assert error.code in ERROR_CODES
        assert error.messages  # the message and its params must interpolate
        "".join(error.messages).encode()  # and be shown on a page
        return
    assert isinstance(geom, Polygon | MultiPolygon)
    assert geom.is_valid
    assert region_bbox().contains_bbox(BBox(*geom.bounds))
    assert DEFAULT_MIN_AREA_M2 <= area_m2(geom) <= DEFAULT_MAX_AREA_M2


# --- valid rectangles inside Sweden ---------------------------------------------------


@st.composite
def rectangles(draw: st.DrawFn) -> list[list[float]]:
    """A closed counter-clockwise ring, 40 m to 3 km a side, inside the default region."""
    lat = draw(st.floats(55.1, 69.2))
    lon = draw(st.floats(10.6, 24.3))
    width_m = draw(st.floats(40, 3_000))
    height_m = draw(st.floats(40, 3_000))
    east = round(lon + width_m / (M_PER_DEG_LAT * math.cos(math.radians(lat))), 7)
    north = round(lat + height_m / M_PER_DEG_LAT, 7)
    lon, lat = round(lon, 7), round(lat, 7)
    return [[lon, lat], [east, lat], [east, north], [lon, north], [lon, lat]]


@fast
@given(rectangles())
def test_rectangle_survives_storage_unchanged(ring: list[list[float]]):
    geom = parse_boundary({"type": "Polygon", "coordinates": [ring]})
    stored = to_geojson(geom)
    again = parse_boundary(json.loads(json.dumps(stored)))
    assert again.equals(geom)
    assert to_geojson(again) == stored


def on_segment(x: float, y: float, a: list[float], b: list[float]) -> bool:
    cross = (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0])
    return (
        cross == 0
        and min(a[0], b[0]) <= x <= max(a[0], b[0])
        and min(a[1], b[1]) <= y <= max(a[1], b[1])
    )


def ring_covers(ring: list[list[float]], x: float, y: float) -> bool:
    """Brute force: on an edge, or an odd number of edge crossings to the east."""
    inside = False
    for a, b in itertools.pairwise(ring):
        if on_segment(x, y, a, b):
            return True
        if (a[1] > y) != (b[1] > y):
            crossing_x = a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
            if x < crossing_x:
                inside = not inside
    return inside


@st.composite
def rectangles_with_points(
    draw: st.DrawFn,
) -> tuple[list[list[float]], list[tuple[float, float]]]:
    ring = draw(rectangles())
    (west, south), (east, north) = ring[0], ring[2]
    # Edges and corners exactly, and points anywhere from well outside to inside.
    xs = st.sampled_from([west, east]) | st.floats(0, 1).map(
        lambda f: west + (f * 2 - 0.5) * (east - west)
    )
    ys = st.sampled_from([south, north]) | st.floats(0, 1).map(
        lambda f: south + (f * 2 - 0.5) * (north - south)
    )
    points = draw(st.lists(st.tuples(xs, ys), min_size=1, max_size=10))
    return ring, points


@fast
@given(rectangles_with_points())
def test_contains_agrees_with_a_brute_force_ring_test(
    case: tuple[list[list[float]], list[tuple[float, float]]],
):
    ring, points = case
    stored = to_geojson(parse_boundary({"type": "Polygon", "coordinates": [ring]}))
    geom = parse_boundary(stored)
    for x, y in points:
        assert contains(geom, x, y) == ring_covers(stored["coordinates"][0], x, y)


@st.composite
def rectangle_pairs(draw: st.DrawFn) -> tuple[list[list[float]], list[list[float]]]:
    """Two rectangles close together: overlapping, apart, or sharing an edge exactly."""
    a = draw(rectangles())
    (west, south), (east, north) = a[0], a[2]
    width = round(draw(st.floats(0.2, 1.5)) * (east - west), 7)
    height = round(draw(st.floats(0.2, 1.5)) * (north - south), 7)

    def start(low: float, high: float, size: float) -> float:
        span = high - low + 2 * size
        if draw(st.integers(0, 4)) == 4:
            return draw(st.sampled_from([high, round(low - size, 7)]))  # touching
        # Fractions short of 0 and 1, which hypothesis favours and which would put the
        # rectangles edge to edge nearly every time.
        return round(low - size + draw(st.floats(0.01, 0.99)) * span, 7)

    b_west = start(west, east, width)
    b_south = start(south, north, height)
    b_east, b_north = round(b_west + width, 7), round(b_south + height, 7)
    b = [[b_west, b_south], [b_east, b_south], [b_east, b_north], [b_west, b_north]]
    return a, [*b, b[0]]


@fast
@given(rectangle_pairs())
def test_overlapping_means_the_interiors_meet(pair: tuple[list[list[float]], list[list[float]]]):
    a, b = pair
    first = parse_boundary({"type": "Polygon", "coordinates": [a]})
    second = Polygon(b)
    # Rectangles' interiors meet exactly when both open intervals overlap.
    expected = a[0][0] < b[2][0] and b[0][0] < a[2][0] and a[0][1] < b[2][1] and b[0][1] < a[2][1]
    assert (overlapping(first, [("b", second)]) == ["b"]) == expected


@fast
@given(
    st.floats(10.6, 24.3),
    st.floats(55.1, 69.3),
    st.floats(10, 50_000),
)
def test_circle_area_is_close_to_pi_r_squared(lon: float, lat: float, radius_m: float):
    geom = circle(lon, lat, radius_m)
    assert geom.is_valid
    # Vertices are rounded to ~1 cm, which matters for the smallest circles.
    assert area_m2(geom) == pytest.approx(math.pi * radius_m**2, rel=0.01, abs=1.0)
