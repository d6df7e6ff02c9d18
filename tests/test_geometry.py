"""Unit tests for watch.areas.geometry: parsing, validation, measurement and predicates."""

from __future__ import annotations

import json
import math
import pickle
import time
from decimal import Decimal
from typing import Any

import pytest
import shapely
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from shapely.geometry import MultiPolygon, Polygon

from watch.areas.geometry.parsing import circle, parse_boundary, parse_point
from watch.areas.geometry.shapes import (
    BBox,
    GeometryError,
    area_m2,
    bbox_of,
    contains,
    intersects,
    load_trusted,
    locate_among,
    overlapping,
    to_geojson,
)

# Mariestad, on Lake Vänern.
LON, LAT = 13.82, 58.71
# Degrees per kilometre around Mariestad (WGS 84 radii of curvature at 58.71°).
KM_LON = 1 / 57.961
KM_LAT = 1 / 111.413


def ring(lon: float, lat: float, width_km: float, height_km: float) -> list[list[float]]:
    """A closed counter-clockwise rectangle with its south-west corner at (lon, lat)."""
    east, north = lon + width_km * KM_LON, lat + height_km * KM_LAT
    return [[lon, lat], [east, lat], [east, north], [lon, north], [lon, lat]]


def polygon(*rings: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


def mariestad() -> dict[str, Any]:
    """About 500 m x 400 m in central Mariestad."""
    return polygon(ring(LON, LAT, 0.5, 0.4))


def with_position(position: list[Any]) -> dict[str, Any]:
    """Mariestad's polygon with its second position replaced."""
    geometry = mariestad()
    geometry["coordinates"][0][1] = position
    return geometry


def rejection(value: Any) -> GeometryError:
    with pytest.raises(GeometryError) as info:
        parse_boundary(value)
    return info.value


def message(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- accepted shapes ------------------------------------------------------------------


def test_polygon_object_is_accepted():
    geom = parse_boundary(mariestad())
    assert isinstance(geom, Polygon)
    assert geom.is_valid
    assert geom.bounds == pytest.approx((LON, LAT, LON + 0.5 * KM_LON, LAT + 0.4 * KM_LAT))


def test_json_text_is_accepted():
    assert parse_boundary(json.dumps(mariestad())).equals(parse_boundary(mariestad()))


def test_json_bytes_are_accepted():
    assert parse_boundary(json.dumps(mariestad()).encode()).equals(parse_boundary(mariestad()))


def test_feature_is_accepted():
    feature = {"type": "Feature", "properties": {"name": "Centrum"}, "geometry": mariestad()}
    assert parse_boundary(feature).equals(parse_boundary(mariestad()))


def test_feature_collection_with_one_feature_is_accepted():
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": mariestad()}],
    }
    assert parse_boundary(collection).equals(parse_boundary(mariestad()))


def test_multipolygon_is_accepted():
    value = {
        "type": "MultiPolygon",
        "coordinates": [[ring(LON, LAT, 0.5, 0.4)], [ring(LON + 0.02, LAT, 0.3, 0.3)]],
    }
    geom = parse_boundary(value)
    assert isinstance(geom, MultiPolygon)
    assert len(geom.geoms) == 2


def test_hole_is_kept():
    outer = ring(LON, LAT, 1.0, 1.0)
    hole = ring(LON + 0.4 * KM_LON, LAT + 0.4 * KM_LAT, 0.2, 0.2)[::-1]
    geom = parse_boundary(polygon(outer, hole))
    assert len(geom.interiors) == 1
    assert area_m2(geom) == pytest.approx(1_000_000 - 40_000, rel=0.01)


def test_altitude_is_accepted_and_dropped():
    geometry = mariestad()
    geometry["coordinates"][0] = [[*position, 45.0] for position in geometry["coordinates"][0]]
    geom = parse_boundary(geometry)
    assert not geom.has_z
    assert geom.equals(parse_boundary(mariestad()))


def test_coordinates_are_rounded_to_seven_decimals():
    geometry = mariestad()
    geometry["coordinates"][0][1][0] += 1e-9
    geom = parse_boundary(geometry)
    assert geom.exterior.coords[1][0] == round(geometry["coordinates"][0][1][0], 7)


def test_either_ring_orientation_is_accepted():
    clockwise = polygon(ring(LON, LAT, 0.5, 0.4)[::-1])
    assert parse_boundary(clockwise).equals(parse_boundary(mariestad()))


# --- rejected input: envelope ---------------------------------------------------------


def test_oversized_text_is_rejected():
    error = rejection(" " * 1_000_001)
    assert error.code == "input_too_large"


def test_input_size_is_counted_in_utf8_bytes(settings):
    settings.GEOMETRY_MAX_INPUT_BYTES = 10
    error = rejection('"åäöåä"')  # 7 characters, 12 bytes
    assert error.code == "input_too_large"
    assert "12 bytes" in message(error)


def test_text_that_is_not_json_is_rejected():
    assert (
        rejection("POLYGON ((13.8 58.7, 13.9 58.7, 13.9 58.8, 13.8 58.7))").code == "invalid_json"
    )


def test_absurdly_deep_json_is_rejected():
    assert rejection("[" * 100_000).code == "invalid_json"


def test_invalid_utf8_is_rejected():
    assert rejection(b'{"type": "\xff"}').code == "invalid_json"


@pytest.mark.parametrize("value", ["[1, 2]", '"Polygon"', "null", [], None, 42])
def test_non_object_is_rejected(value):
    assert rejection(value).code == "not_object"


def test_feature_collection_with_two_features_is_rejected():
    feature = {"type": "Feature", "properties": {}, "geometry": mariestad()}
    error = rejection({"type": "FeatureCollection", "features": [feature, feature]})
    assert error.code == "feature_count"
    assert "got 2" in message(error)


def test_empty_feature_collection_is_rejected():
    assert rejection({"type": "FeatureCollection", "features": []}).code == "feature_count"


def test_feature_without_geometry_is_rejected():
    error = rejection({"type": "Feature", "properties": {}, "geometry": None})
    assert error.code == "no_geometry"


def test_feature_collection_holding_a_bare_geometry_is_rejected():
    error = rejection({"type": "FeatureCollection", "features": [mariestad()]})
    assert error.code == "invalid_feature"


# --- rejected input: geometry type ------------------------------------------------------


def test_point_is_rejected_naming_the_type():
    error = rejection({"type": "Point", "coordinates": [LON, LAT]})
    assert error.code == "wrong_type"
    assert message(error) == "A Polygon or MultiPolygon is expected, got Point."


@pytest.mark.parametrize("geom_type", ["LineString", "MultiPoint", "MultiLineString"])
def test_linear_and_point_types_are_rejected(geom_type):
    line = [[LON, LAT], [LON + 0.01, LAT + 0.01]]
    error = rejection({"type": geom_type, "coordinates": line})
    assert error.code == "wrong_type"
    assert geom_type in message(error)


def test_geometry_collection_is_rejected():
    error = rejection({"type": "GeometryCollection", "geometries": [mariestad()]})
    assert error.code == "wrong_type"


def test_missing_type_is_rejected():
    assert rejection({"coordinates": mariestad()["coordinates"]}).code == "missing_type"


def test_long_type_name_is_truncated_in_the_message():
    error = rejection({"type": "X" * 10_000, "coordinates": []})
    assert error.code == "wrong_type"
    assert len(message(error)) < 100


# --- rejected input: coordinates -------------------------------------------------------


def test_missing_coordinates_are_rejected():
    assert rejection({"type": "Polygon"}).code == "missing_coordinates"


def test_null_coordinates_are_rejected():
    assert rejection({"type": "Polygon", "coordinates": None}).code == "missing_coordinates"


@pytest.mark.parametrize("geom_type", ["Polygon", "MultiPolygon"])
def test_empty_coordinates_are_rejected(geom_type):
    assert rejection({"type": geom_type, "coordinates": []}).code == "empty_geometry"


def test_coordinates_that_are_not_a_list_are_rejected():
    error = rejection({"type": "Polygon", "coordinates": "13.82 58.71"})
    assert error.code == "malformed_coordinates"


def test_string_coordinate_is_rejected():
    error = rejection(with_position(["13.83", LAT]))
    assert error.code == "invalid_coordinate"
    assert "coordinates[0][1][0]" in message(error)
    assert '"13.83"' in message(error)


def test_null_coordinate_is_rejected():
    assert rejection(with_position([LON, None])).code == "invalid_coordinate"


@pytest.mark.parametrize("flag", [True, False])
def test_boolean_coordinate_is_rejected(flag):
    error = rejection(with_position([flag, LAT]))
    assert error.code == "invalid_coordinate"


def test_object_coordinate_is_rejected():
    assert rejection(with_position([{"lon": LON}, LAT])).code == "invalid_coordinate"


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf, Decimal("NaN")])
def test_non_finite_coordinate_is_rejected(number):
    assert rejection(with_position([number, LAT])).code == "non_finite_coordinate"


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_json_literal_is_rejected(literal):
    text = json.dumps(mariestad()).replace("13.82", literal, 1)
    assert rejection(text).code == "non_finite_coordinate"


def test_integer_too_large_for_a_float_is_rejected():
    assert rejection(with_position([10**400, LAT])).code == "non_finite_coordinate"


def test_decimal_coordinates_are_accepted():
    geometry = mariestad()
    geometry["coordinates"][0] = [
        [Decimal(str(x)), Decimal(str(y))] for x, y in geometry["coordinates"][0]
    ]
    assert parse_boundary(geometry).equals(parse_boundary(mariestad()))


def test_position_with_four_numbers_is_rejected():
    error = rejection(with_position([LON, LAT, 0.0, 1.0]))
    assert error.code == "position_dimensions"
    assert "4 numbers" in message(error)


def test_position_with_one_number_is_rejected():
    assert rejection(with_position([LON])).code == "position_dimensions"


def test_polygon_nested_like_a_multipolygon_is_rejected():
    error = rejection({"type": "Polygon", "coordinates": [mariestad()["coordinates"]]})
    assert error.code == "malformed_coordinates"
    assert "MultiPolygon" in message(error)


def test_ring_without_its_list_wrapper_is_rejected():
    error = rejection({"type": "Polygon", "coordinates": ring(LON, LAT, 0.5, 0.4)})
    assert error.code == "malformed_coordinates"
    assert "position" in message(error)


def test_ring_with_three_positions_is_rejected():
    triangle = [[LON, LAT], [LON + 0.01, LAT], [LON, LAT]]
    error = rejection(polygon(triangle))
    assert error.code == "ring_too_short"
    assert "at least 4" in message(error)


def test_empty_ring_is_rejected():
    assert rejection(polygon([])).code == "ring_too_short"


def test_unclosed_ring_is_rejected_not_closed_silently():
    error = rejection(polygon(ring(LON, LAT, 0.5, 0.4)[:-1]))
    assert error.code == "ring_not_closed"
    assert "coordinates[0]" in message(error)


def test_unclosed_hole_is_rejected():
    hole = ring(LON + 0.1 * KM_LON, LAT + 0.1 * KM_LAT, 0.1, 0.1)[::-1][:-1]
    error = rejection(polygon(ring(LON, LAT, 0.5, 0.4), hole))
    assert error.code == "ring_not_closed"
    assert "coordinates[1]" in message(error)


def test_more_vertices_than_the_setting_allows_is_rejected(settings):
    settings.GEOMETRY_MAX_VERTICES = 4
    error = rejection(mariestad())
    assert error.code == "too_many_vertices"
    assert "5 points" in message(error)


def test_100k_vertices_are_rejected_by_count_before_any_work():
    # Strings as positions: had they been read, the error would be about those.
    huge = polygon(["not a position"] * 100_000)
    started = time.perf_counter()
    error = rejection(huge)
    assert error.code == "too_many_vertices"
    assert time.perf_counter() - started < 0.1


def test_vertex_limit_counts_all_parts_of_a_multipolygon(settings):
    settings.GEOMETRY_MAX_VERTICES = 9
    value = {
        "type": "MultiPolygon",
        "coordinates": [[ring(LON, LAT, 0.5, 0.4)], [ring(LON + 0.02, LAT, 0.3, 0.3)]],
    }
    assert rejection(value).code == "too_many_vertices"


# --- rejected input: shape and place ---------------------------------------------------


def test_bow_tie_is_rejected_explaining_why():
    east, north = LON + 0.01, LAT + 0.005
    bow_tie = [[LON, LAT], [east, north], [east, LAT], [LON, north], [LON, LAT]]
    error = rejection(polygon(bow_tie))
    assert error.code == "invalid_geometry"
    assert "Self-intersection" in message(error)


def test_hole_outside_its_shell_is_rejected():
    hole = ring(LON + 0.05, LAT, 0.1, 0.1)[::-1]
    assert rejection(polygon(ring(LON, LAT, 0.5, 0.4), hole)).code == "invalid_geometry"


def test_overlapping_multipolygon_parts_are_rejected():
    value = {
        "type": "MultiPolygon",
        "coordinates": [[ring(LON, LAT, 0.5, 0.4)], [ring(LON + 0.2 * KM_LON, LAT, 0.5, 0.4)]],
    }
    assert rejection(value).code == "invalid_geometry"


def test_swapped_mariestad_is_rejected_as_outside_with_a_hint():
    swapped = polygon([[lat, lon] for lon, lat in ring(LON, LAT, 0.5, 0.4)])
    error = rejection(swapped)
    assert error.code == "outside_region"
    text = message(error)
    assert "outside" in text
    assert "swapped" in text
    assert "longitude, latitude" in text


def test_area_outside_sweden_is_rejected_without_the_swap_hint():
    helsinki = polygon(ring(24.94, 60.17, 0.5, 0.4))
    error = rejection(helsinki)
    assert error.code == "outside_region"
    assert "swapped" not in message(error)


def test_area_straddling_the_region_edge_is_rejected():
    assert rejection(polygon(ring(24.499, 65.8, 0.5, 0.4))).code == "outside_region"


def test_projected_sweref_coordinates_are_rejected():
    # The same corner in SWEREF 99 TM metres.
    sweref = polygon(
        [[427_000, 6_508_000], [427_500, 6_508_000], [427_500, 6_508_400], [427_000, 6_508_000]]
    )
    error = rejection(sweref)
    assert error.code == "not_wgs84"
    assert "SWEREF 99 TM" in message(error)


def test_region_comes_from_settings(settings):
    settings.GEOMETRY_REGION_BBOX = (13.0, 58.0, 15.0, 59.0)
    assert parse_boundary(mariestad()).is_valid
    assert rejection(polygon(ring(18.07, 59.33, 0.5, 0.4))).code == "outside_region"


def test_too_small_area_is_rejected():
    error = rejection(polygon(ring(LON, LAT, 0.02, 0.02)))
    assert error.code == "area_too_small"
    assert "1000 m²" in message(error)


def test_sliver_drawn_like_a_line_is_rejected():
    assert rejection(polygon(ring(LON, LAT, 1.0, 0.0005))).code == "area_too_small"


def test_too_large_area_is_rejected():
    error = rejection(polygon(ring(LON, LAT, 10.0, 10.0)))
    assert error.code == "area_too_large"
    assert "50.0 km²" in message(error)


def test_area_limits_come_from_settings(settings):
    settings.GEOMETRY_MIN_AREA_M2 = 250_000
    assert rejection(mariestad()).code == "area_too_small"
    settings.GEOMETRY_MIN_AREA_M2 = 1
    settings.GEOMETRY_MAX_AREA_M2 = 100_000
    assert rejection(mariestad()).code == "area_too_large"


# --- GeometryError ----------------------------------------------------------------------


def test_geometry_error_is_a_validation_error_with_a_translatable_message():
    error = rejection({"type": "Point", "coordinates": [LON, LAT]})
    assert isinstance(error, ValidationError)
    assert isinstance(error.message, Promise)
    assert error.params == {"type": "Point"}


def test_geometry_error_survives_pickling():
    error = rejection({"type": "Point", "coordinates": [LON, LAT]})
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 -- our own object
    assert isinstance(copy, GeometryError)
    assert copy.code == "wrong_type"
    assert copy.messages == error.messages


# --- parse_point -----------------------------------------------------------------------


def test_point_from_form_strings_is_accepted():
    point = parse_point(" 13.8234 ", "58.7123")
    assert (point.x, point.y) == (13.8234, 58.7123)


def test_point_from_numbers_is_accepted_and_rounded():
    point = parse_point(13.823456789, Decimal("58.7"))
    assert (point.x, point.y) == (13.8234568, 58.7)


@pytest.mark.parametrize("value", ["", "  ", "abc", "13,82", None, True, [13.82], "1" * 100])
def test_point_with_non_number_is_rejected(value):
    with pytest.raises(GeometryError) as info:
        parse_point(value, LAT)
    assert info.value.code == "invalid_coordinate"
    assert "Longitude" in message(info.value)


@pytest.mark.parametrize("value", ["nan", "inf", "-Infinity", "1e999", math.nan, math.inf])
def test_point_with_non_finite_number_is_rejected(value):
    with pytest.raises(GeometryError) as info:
        parse_point(LON, value)
    assert info.value.code == "non_finite_coordinate"
    assert "Latitude" in message(info.value)


def test_swapped_point_is_rejected_with_a_hint():
    with pytest.raises(GeometryError) as info:
        parse_point(LAT, LON)
    assert info.value.code == "outside_region"
    assert "swapped" in message(info.value)


def test_point_out_of_degree_range_is_rejected():
    with pytest.raises(GeometryError) as info:
        parse_point(427_000, 6_508_000)
    assert info.value.code == "not_wgs84"


# --- measurement -------------------------------------------------------------------------


def ellipsoidal_quadrangle_area(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Exact area of a lon/lat quadrangle on the WGS 84 ellipsoid, via authalic latitude."""
    a, e2 = 6_378_137.0, 6.694379990141317e-3
    e = math.sqrt(e2)

    def q(lat: float) -> float:
        s = math.sin(math.radians(lat))
        return (1 - e2) * (s / (1 - e2 * s * s) - math.log((1 - e * s) / (1 + e * s)) / (2 * e))

    return a * a / 2 * math.radians(lon2 - lon1) * (q(lat2) - q(lat1))


def test_area_of_a_square_kilometre_near_mariestad():
    geom = parse_boundary(polygon(ring(LON, 58.7, 1.0, 1.0)))
    exact = ellipsoidal_quadrangle_area(*geom.bounds)
    assert area_m2(geom) == pytest.approx(1_000_000, rel=0.01)
    assert area_m2(geom) == pytest.approx(exact, rel=1e-4)


def test_area_of_a_multipolygon_is_the_sum_of_its_parts():
    a, b = ring(LON, LAT, 0.5, 0.4), ring(LON + 0.02, LAT, 0.3, 0.3)
    multi = parse_boundary({"type": "MultiPolygon", "coordinates": [[a], [b]]})
    parts = area_m2(parse_boundary(polygon(a))) + area_m2(parse_boundary(polygon(b)))
    assert area_m2(multi) == pytest.approx(parts, rel=1e-3)


def test_bbox_of_a_boundary():
    box = bbox_of(parse_boundary(mariestad()))
    assert box == BBox(*parse_boundary(mariestad()).bounds)
    assert box.min_lon == LON
    assert box.min_lat == LAT


def test_bbox_rejects_reversed_corners():
    with pytest.raises(ValueError, match="minimum exceeds maximum"):
        BBox(14.0, 58.0, 13.0, 59.0)


def test_bboxes_that_share_an_edge_intersect():
    assert BBox(13.0, 58.0, 14.0, 59.0).intersects(BBox(14.0, 58.5, 15.0, 59.5))


def test_disjoint_bboxes_do_not_intersect():
    assert not BBox(13.0, 58.0, 14.0, 59.0).intersects(BBox(14.1, 58.0, 15.0, 59.0))


def test_bbox_contains_a_point_on_its_edge():
    box = BBox(13.0, 58.0, 14.0, 59.0)
    assert box.contains_point(14.0, 58.5)
    assert box.contains_point(13.5, 58.5)
    assert not box.contains_point(14.01, 58.5)


# --- GeoJSON output ---------------------------------------------------------------------


def test_to_geojson_round_trips():
    geom = parse_boundary(mariestad())
    assert parse_boundary(to_geojson(geom)).equals(geom)
    assert to_geojson(parse_boundary(to_geojson(geom))) == to_geojson(geom)


def test_to_geojson_closes_rings_orients_them_and_rounds():
    hole = ring(LON + 0.1 * KM_LON, LAT + 0.1 * KM_LAT, 0.1, 0.1)  # counter-clockwise
    raw = Polygon(
        [(x + 1.23e-9, y) for x, y in ring(LON, LAT, 0.5, 0.4)[::-1]],  # clockwise
        [hole],
    )
    data = to_geojson(raw)
    shell, inner = data["coordinates"]
    assert data["type"] == "Polygon"
    assert shell[0] == shell[-1]
    assert inner[0] == inner[-1]
    assert shapely.LinearRing(shell).is_ccw
    assert not shapely.LinearRing(inner).is_ccw
    assert all(x == round(x, 7) for x, _y in shell)


def test_to_geojson_of_a_multipolygon_is_json_serialisable():
    geom = parse_boundary(
        {
            "type": "MultiPolygon",
            "coordinates": [[ring(LON, LAT, 0.5, 0.4)], [ring(LON + 0.02, LAT, 0.3, 0.3)]],
        }
    )
    data = json.loads(json.dumps(to_geojson(geom)))
    assert data["type"] == "MultiPolygon"
    assert parse_boundary(data).equals(geom)


# --- predicates --------------------------------------------------------------------------


@pytest.fixture
def square() -> Polygon:
    """1 km x 1 km with a 200 m square hole in the middle."""
    outer = ring(LON, LAT, 1.0, 1.0)
    hole = ring(LON + 0.4 * KM_LON, LAT + 0.4 * KM_LAT, 0.2, 0.2)[::-1]
    return parse_boundary(polygon(outer, hole))


def test_contains_a_point_inside(square):
    assert contains(square, LON + 0.1 * KM_LON, LAT + 0.1 * KM_LAT)


def test_does_not_contain_a_point_outside(square):
    assert not contains(square, LON - 0.001, LAT)


def test_contains_a_point_on_the_edge(square):
    assert contains(square, LON, LAT + 0.5 * KM_LAT)


def test_contains_a_vertex(square):
    assert contains(square, LON, LAT)


def test_does_not_contain_a_point_in_a_hole(square):
    assert not contains(square, LON + 0.5 * KM_LON, LAT + 0.5 * KM_LAT)


def test_contains_a_point_on_a_hole_edge(square):
    x, y = square.interiors[0].coords[0]
    assert contains(square, x, y)


def test_shapes_sharing_an_edge_intersect():
    west = parse_boundary(polygon(ring(LON, LAT, 0.5, 0.5)))
    east = Polygon(ring(west.bounds[2], LAT, 0.5, 0.5))
    assert intersects(west, east)


def test_shapes_touching_at_a_corner_intersect():
    south_west = parse_boundary(polygon(ring(LON, LAT, 0.5, 0.5)))
    north_east = Polygon(ring(south_west.bounds[2], south_west.bounds[3], 0.5, 0.5))
    assert intersects(south_west, north_east)


def test_separate_shapes_do_not_intersect():
    assert not intersects(
        Polygon(ring(LON, LAT, 0.5, 0.5)), Polygon(ring(LON + 0.1, LAT, 0.5, 0.5))
    )


def test_overlapping_ignores_a_neighbour_that_only_touches():
    new = parse_boundary(polygon(ring(LON, LAT, 0.5, 0.5)))
    neighbour = Polygon(ring(new.bounds[2], LAT, 0.5, 0.5))
    assert overlapping(new, [("neighbour", neighbour)]) == []


def test_overlapping_finds_a_real_overlap():
    new = parse_boundary(polygon(ring(LON, LAT, 0.5, 0.5)))
    others = [
        ("far", Polygon(ring(LON + 0.1, LAT, 0.5, 0.5))),
        ("overlaps", Polygon(ring(LON + 0.4 * KM_LON, LAT, 0.5, 0.5))),
        ("inside", Polygon(ring(LON + 0.1 * KM_LON, LAT + 0.1 * KM_LAT, 0.1, 0.1))),
        ("around", Polygon(ring(LON - 0.01, LAT - 0.01, 5, 5))),
    ]
    assert overlapping(new, others) == ["overlaps", "inside", "around"]


def test_overlapping_tolerance_ignores_slivers():
    new = parse_boundary(polygon(ring(LON, LAT, 0.5, 0.5)))
    sliver = Polygon(ring(new.bounds[2] - 0.0005 * KM_LON, LAT, 0.5, 0.5))  # 0.5 m x 500 m
    assert overlapping(new, [(1, sliver)]) == [1]
    assert overlapping(new, [(1, sliver)], tolerance_m2=300.0) == []


def test_overlapping_leaves_the_callers_geometry_unprepared():
    new = parse_boundary(mariestad())
    overlapping(new, [(1, Polygon(ring(LON, LAT, 0.1, 0.1)))])
    assert not shapely.is_prepared(new)


# --- circles -----------------------------------------------------------------------------


def test_circle_area_is_pi_r_squared():
    assert area_m2(circle(LON, LAT, 1_000)) == pytest.approx(math.pi * 1_000**2, rel=0.01)


def test_circle_is_round_at_the_largest_radius():
    geom = circle(LON, LAT, 50_000)
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    width_km = (max_lon - min_lon) / KM_LON  # scale at the centre latitude
    height_km = (max_lat - min_lat) / KM_LAT
    assert height_km == pytest.approx(100, rel=0.01)
    assert width_km == pytest.approx(100, rel=0.01)


def test_circle_is_centred_and_valid():
    geom = circle("13.82", "58.71", "500", segments=16)
    assert geom.is_valid
    assert len(geom.exterior.coords) == 17
    assert geom.exterior.is_ccw
    assert contains(geom, LON, LAT)
    assert geom.centroid.x == pytest.approx(LON, abs=1e-6)


@pytest.mark.parametrize("radius", [0, -5, "abc", math.nan, None])
def test_circle_rejects_a_radius_that_is_not_positive(radius):
    with pytest.raises(GeometryError) as info:
        circle(LON, LAT, radius)
    assert info.value.code in {"invalid_radius", "invalid_coordinate", "non_finite_coordinate"}


def test_circle_rejects_a_radius_over_the_limit():
    with pytest.raises(GeometryError) as info:
        circle(LON, LAT, 50_001)
    assert info.value.code == "radius_too_large"


def test_circle_rejects_a_centre_outside_the_region():
    with pytest.raises(GeometryError) as info:
        circle(LAT, LON, 1_000)
    assert info.value.code == "outside_region"


# --- trusted stored boundaries ----------------------------------------------------------


def test_locate_among_returns_the_keys_covering_the_point():
    centrum = to_geojson(parse_boundary(polygon(ring(LON, LAT, 0.5, 0.5))))
    hamnen = to_geojson(parse_boundary(polygon(ring(LON + 0.5 * KM_LON, LAT, 0.5, 0.5))))
    far = to_geojson(parse_boundary(polygon(ring(LON + 0.1, LAT, 0.5, 0.5))))
    candidates = [(1, centrum), (2, json.dumps(hamnen)), (3, load_trusted(far))]
    assert locate_among(candidates, LON + 0.1 * KM_LON, LAT + 0.1 * KM_LAT) == [1]
    # On the shared edge both neighbours count.
    edge = centrum["coordinates"][0][1][0]
    assert locate_among(candidates, edge, LAT + 0.1 * KM_LAT) == [1, 2]
    assert locate_among(candidates, LON - 0.01, LAT) == []


def test_locate_among_handles_multipolygons_and_holes():
    outer = ring(LON, LAT, 1.0, 1.0)
    hole = ring(LON + 0.4 * KM_LON, LAT + 0.4 * KM_LAT, 0.2, 0.2)[::-1]
    stored = {"type": "MultiPolygon", "coordinates": [[outer, hole], [ring(LON + 0.1, LAT, 1, 1)]]}
    assert locate_among([("a", stored)], LON + 0.1, LAT) == ["a"]
    assert locate_among([("a", stored)], LON + 0.5 * KM_LON, LAT + 0.5 * KM_LAT) == []


def test_load_trusted_caches_json_text():
    text = json.dumps(to_geojson(parse_boundary(mariestad())))
    assert load_trusted(text) is load_trusted(text)
