"""The in-memory index of active areas behind ``areas_covering``, and the cached GeoJSON.

Both are keyed by the areas' version in the cache, which every saved or deleted
area or municipality bumps; ``ACTIVE_AREAS.clear()`` stands in for another process
whose index was built before the change.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import WatchAreaFactory, square
from watch.areas import selectors as area_selectors
from watch.areas.models import AreaStatus, WatchArea

pytestmark = pytest.mark.django_db

LON, LAT = 14.10, 58.90
SIZE = 0.004
# Coordinates where edges and vertices lie, so drawn points often sit exactly on them.
EDGES_LON = [LON + i * SIZE for i in range(4)] + [LON + 0.0015, LON + 0.0025]
EDGES_LAT = [LAT + i * SIZE for i in range(3)] + [LAT + 0.0015, LAT + 0.0025]


def _with_hole(lon: float, lat: float) -> dict:
    ring = [[lon, lat], [lon + SIZE, lat], [lon + SIZE, lat + SIZE], [lon, lat + SIZE], [lon, lat]]
    hole = [
        [lon + 0.0015, lat + 0.0015],
        [lon + 0.0015, lat + 0.0025],
        [lon + 0.0025, lat + 0.0025],
        [lon + 0.0025, lat + 0.0015],
        [lon + 0.0015, lat + 0.0015],
    ]
    return {"type": "Polygon", "coordinates": [ring, hole]}


def _two_squares(lon: float, lat: float) -> dict:
    return {
        "type": "MultiPolygon",
        "coordinates": [
            square(lon, lat)["coordinates"],
            square(lon + 2 * SIZE, lat)["coordinates"],
        ],
    }


@pytest.fixture
def layout(municipality) -> list[WatchArea]:
    """Areas sharing edges and corners, one with a hole, one in two parts, one not active."""
    return [
        WatchAreaFactory(municipality=municipality, boundary=_with_hole(LON, LAT)),
        WatchAreaFactory(municipality=municipality, boundary=square(LON + SIZE, LAT)),
        WatchAreaFactory(municipality=municipality, boundary=_two_squares(LON, LAT + SIZE)),
        WatchAreaFactory(municipality=municipality, boundary=square(LON + SIZE, LAT + SIZE)),
        WatchAreaFactory(
            municipality=municipality,
            boundary=square(LON + 2 * SIZE, LAT),
            status=AreaStatus.PROPOSED,
        ),
    ]


def _by_sql(lon: float, lat: float) -> set[int]:
    """The bounding-box query path, restricted to active areas afterwards."""
    every = area_selectors.areas_covering(lon, lat, statuses=tuple(AreaStatus.values))
    return {area.pk for area in every if area.status == AreaStatus.ACTIVE}


def _by_index(lon: float, lat: float) -> set[int]:
    return {area.pk for area in area_selectors.areas_covering(lon, lat)}


coordinate = st.one_of(
    st.sampled_from([(x, y) for x in EDGES_LON for y in EDGES_LAT]),
    st.tuples(st.sampled_from(EDGES_LON), st.floats(LAT - 0.001, LAT + 3 * SIZE)),
    st.tuples(st.floats(LON - 0.001, LON + 4 * SIZE), st.sampled_from(EDGES_LAT)),
    st.tuples(st.floats(LON - 0.001, LON + 4 * SIZE), st.floats(LAT - 0.001, LAT + 3 * SIZE)),
)


@hypothesis_settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(point=coordinate)
def test_index_finds_the_same_areas_as_the_sql_path(layout, point):
    assert _by_index(*point) == _by_sql(*point)


def test_edges_count_as_inside_and_holes_as_outside(layout):
    holed, east, _multi, _north_east, proposed = layout

    assert _by_index(LON + SIZE, LAT + 0.001) == {holed.pk, east.pk}
    assert _by_index(LON + 0.002, LAT + 0.002) == set()  # in the hole
    assert _by_index(LON + 0.0015, LAT + 0.002) == {holed.pk}  # on the hole's edge
    inside_proposed = (LON + 2 * SIZE + 0.001, LAT + 0.001)
    assert _by_index(*inside_proposed) == set()
    every = area_selectors.areas_covering(*inside_proposed, statuses=tuple(AreaStatus.values))
    assert every == [proposed]


def test_a_new_area_is_found_by_the_next_lookup(municipality):
    WatchAreaFactory(municipality=municipality, boundary=square(LON, LAT))
    assert area_selectors.areas_covering(LON + 0.001, LAT + 0.001)

    new = WatchAreaFactory(municipality=municipality, boundary=square(LON + SIZE, LAT))

    assert area_selectors.areas_covering(LON + SIZE + 0.001, LAT + 0.001) == [new]


def test_a_status_change_and_a_deletion_are_seen_by_the_next_lookup(area):
    lon, lat = (area.min_lon + area.max_lon) / 2, (area.min_lat + area.max_lat) / 2
    assert area_selectors.areas_covering(lon, lat) == [area]

    area.status = AreaStatus.PAUSED
    area.save()
    assert area_selectors.areas_covering(lon, lat) == []

    area.status = AreaStatus.ACTIVE
    area.save()
    assert area_selectors.areas_covering(lon, lat) == [area]

    area.delete()
    assert area_selectors.areas_covering(lon, lat) == []


def test_another_process_rebuilds_when_the_version_changed(municipality, django_assert_num_queries):
    WatchAreaFactory(municipality=municipality, boundary=square(LON, LAT))
    area_selectors.areas_covering(LON + 0.001, LAT + 0.001)
    stale = area_selectors.ACTIVE_AREAS._tree
    area_selectors.ACTIVE_AREAS.clear()  # a fresh process: builds its own tree

    new = WatchAreaFactory(municipality=municipality, boundary=square(LON + SIZE, LAT))
    assert area_selectors.areas_covering(LON + SIZE + 0.001, LAT + 0.001) == [new]

    # A process still holding the old tree sees the new version and rebuilds too.
    area_selectors.ACTIVE_AREAS._tree = stale
    with django_assert_num_queries(2):  # the rebuild and the rows
        assert area_selectors.areas_covering(LON + SIZE + 0.001, LAT + 0.001) == [new]


def test_a_lost_version_rebuilds_the_index(area):
    lon, lat = (area.min_lon + area.max_lon) / 2, (area.min_lat + area.max_lat) / 2
    area_selectors.areas_covering(lon, lat)
    cache.clear()  # Redis restarted or the key evicted

    WatchArea.objects.filter(pk=area.pk).update(status=AreaStatus.PAUSED)  # no signal

    assert area_selectors.areas_covering(lon, lat) == []


def test_a_warm_lookup_runs_one_query_on_a_hit_and_none_on_a_miss(area, django_assert_num_queries):
    lon, lat = (area.min_lon + area.max_lon) / 2, (area.min_lat + area.max_lat) / 2
    area_selectors.areas_covering(lon, lat)

    with django_assert_num_queries(1):
        found = area_selectors.areas_covering(lon, lat)
    assert found == [area]
    assert found[0].municipality.name == "Mariestad"  # fetched with the row
    with django_assert_num_queries(0):
        assert area_selectors.areas_covering(lon + 1, lat) == []


# --- the public GeoJSON -------------------------------------------------------------------


def _uncached(client, **params: str) -> tuple[bytes, str]:
    cache.clear()
    response = client.get(reverse("watch:areas_geojson"), params)
    return response.content, response["Content-Type"]


@pytest.mark.parametrize("params", [{}, {"municipality": "mariestad"}])
def test_cached_geojson_is_identical_and_runs_no_query(
    client, area, area_b, area_c, params, django_assert_num_queries
):
    fresh = _uncached(client, **params)
    client.get(reverse("watch:areas_geojson"), params)

    with django_assert_num_queries(0):
        response = client.get(reverse("watch:areas_geojson"), params)

    assert (response.content, response["Content-Type"]) == fresh
    assert response.status_code == 200


def test_geojson_cache_is_dropped_when_an_area_changes(client, area, area_b):
    url = reverse("watch:areas_geojson")
    assert len(client.get(url).json()["features"]) == 2

    area_b.status = AreaStatus.PAUSED
    area_b.save()
    assert [f["id"] for f in client.get(url).json()["features"]] == [area.pk]

    area.name = "Nytt namn"
    area.save()
    assert client.get(url).json()["features"][0]["properties"]["name"] == "Nytt namn"

    area.municipality.name = "Mariestads kommun"
    area.municipality.save()
    assert client.get(url).json()["features"][0]["properties"]["municipality"] == (
        "Mariestads kommun"
    )


def test_geojson_is_cached_per_language(client, area, django_assert_num_queries):
    url = reverse("watch:areas_geojson")
    client.cookies["django_language"] = "sv"
    client.get(url)
    client.cookies["django_language"] = "en"
    with django_assert_num_queries(1):
        client.get(url)
    client.cookies["django_language"] = "sv"
    with django_assert_num_queries(0):
        client.get(url)


def test_editor_and_unknown_municipality_variants_are_not_cached(
    client, area, area_b, django_assert_num_queries
):
    url = reverse("watch:areas_geojson")
    client.get(url, {"exclude": area.pk})
    client.get(url, {"municipality": "finns-inte"})

    with django_assert_num_queries(1):
        data = client.get(url, {"exclude": area.pk}).json()
    assert [f["id"] for f in data["features"]] == [area_b.pk]
    with django_assert_num_queries(1):
        assert client.get(url, {"municipality": "finns-inte"}).json()["features"] == []
