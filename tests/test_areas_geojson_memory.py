"""Each process keeps the public map's GeoJSON in memory, for the current areas only.

A body is built once, shared through the cache under the areas' version, and kept
in each process that served it; a change to any area or municipality (saved by
anyone, in any process) moves the version, and every process serves the change
at its next request.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language

from tests.factories import WatchAreaFactory
from watch.areas import selectors as area_selectors
from watch.areas.models import WatchArea

pytestmark = pytest.mark.django_db


def names(client, **params: str) -> set[str]:  # type: ignore[no-untyped-def]
    data = client.get(reverse("watch:areas_geojson"), params).json()
    return {feature["properties"]["name"] for feature in data["features"]}


def test_a_body_served_once_is_served_from_memory(client, area, django_assert_num_queries):
    names(client)
    # Gone from the shared cache: only this process's memory still has it.
    cache.delete(f"watch:areas-geojson:{area_selectors.areas_version()}:{get_language()}:")

    with django_assert_num_queries(0):
        assert names(client) == {area.name}


def test_an_area_saved_here_is_on_the_map_at_once(client, area, municipality):
    names(client)

    WatchAreaFactory(municipality=municipality, name="Nyby")

    assert names(client) == {area.name, "Nyby"}


def test_an_area_changed_by_another_process_is_on_the_map_at_its_next_request(client, area):
    names(client)

    # Another process's change: the rows and the shared version move, not this memory.
    WatchArea.objects.filter(pk=area.pk).update(name="Omdöpt")
    cache.set(area_selectors.AREAS_VERSION_KEY, "changed-in-another-process")

    assert names(client) == {"Omdöpt"}


def test_each_language_and_municipality_has_its_own_body(client, area, area_c):
    assert names(client, municipality=area.municipality.slug) == {area.name}
    assert names(client, municipality=area_c.municipality.slug) == {area_c.name}
    assert names(client) == {area.name, area_c.name}


def test_an_unknown_municipality_is_not_kept(client, area):
    for n in range(20):
        assert names(client, municipality=f"finns-inte-{n}") == set()

    assert all(
        slug == "" or not slug.startswith("finns-inte") for _lang, slug in area_selectors._served[1]
    )
