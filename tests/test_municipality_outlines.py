"""Municipality borders: loaded from official GeoJSON, simplified, and served as the
background of maps that cannot load their tiles."""

from __future__ import annotations

import json
import math
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from shapely.geometry import shape

from tests.factories import MunicipalityFactory
from watch.areas.models import Municipality, WatchArea

pytestmark = pytest.mark.django_db

URL = reverse("watch:municipalities_geojson")


def circle_ring(lon: float, lat: float, points: int) -> list[list[float]]:
    """A detailed border: ``points`` corners on a circle of about 10 km."""
    ring = [
        [
            lon + 0.15 * math.cos(2 * math.pi * i / points),
            lat + 0.09 * math.sin(2 * math.pi * i / points),
        ]
        for i in range(points)
    ]
    return [*ring, ring[0]]


def border_file(tmp_path, *features: tuple[str, list[list[float]]]):
    path = tmp_path / "kommuner.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"kommunkod": code, "kommunnamn": "x"},
                        "geometry": {"type": "Polygon", "coordinates": [ring]},
                    }
                    for code, ring in features
                ],
            }
        )
    )
    return path


def test_borders_are_loaded_by_code_and_simplified(tmp_path, municipality):
    path = border_file(
        tmp_path,
        (municipality.code, circle_ring(13.8, 58.7, 5000)),
        ("0180", circle_ring(18.0, 59.3, 10)),
    )
    out = StringIO()

    call_command("load_municipality_boundaries", str(path), stdout=out)

    municipality.refresh_from_db()
    ring = municipality.boundary["coordinates"][0]
    assert municipality.boundary["type"] == "Polygon"
    assert 20 < len(ring) < 500  # 5,000 corners simplified for display
    assert shape(municipality.boundary).contains(
        shape({"type": "Point", "coordinates": [13.8, 58.7]})
    )
    assert "Loaded the borders of 1 municipalities." in out.getvalue()


def test_a_bad_border_stops_the_load_and_changes_nothing(
    tmp_path, municipality, other_municipality
):
    path = border_file(
        tmp_path,
        (municipality.code, circle_ring(13.8, 58.7, 50)),
        (other_municipality.code, circle_ring(-70.0, 40.0, 50)),  # not in Sweden
    )

    with pytest.raises(CommandError, match="not a shape in Sweden"):
        call_command("load_municipality_boundaries", str(path), stdout=StringIO())

    assert not Municipality.objects.filter(boundary__isnull=False).exists()


def test_a_file_that_is_not_geojson_is_refused(tmp_path, municipality):
    path = tmp_path / "x.geojson"
    path.write_text("<kml/>")

    with pytest.raises(CommandError, match="not a GeoJSON FeatureCollection"):
        call_command("load_municipality_boundaries", str(path), stdout=StringIO())


def test_the_borders_are_served_with_names_only(
    client, municipality, django_assert_max_num_queries
):
    municipality.boundary = {"type": "Polygon", "coordinates": [circle_ring(13.8, 58.7, 8)]}
    municipality.save()
    MunicipalityFactory()  # without a border: left out

    with django_assert_max_num_queries(1):
        data = client.get(URL).json()

    assert [f["properties"] for f in data["features"]] == [{"name": municipality.name}]
    assert data["features"][0]["geometry"] == municipality.boundary


def test_a_changed_border_is_served_at_once(client, municipality):
    client.get(URL)
    municipality.boundary = {"type": "Polygon", "coordinates": [circle_ring(13.8, 58.7, 8)]}
    municipality.save()

    assert len(client.get(URL).json()["features"]) == 1


def test_every_demo_area_lies_inside_its_municipalitys_demo_border(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=StringIO())

    for area in WatchArea.objects.select_related("municipality"):
        assert shape(area.municipality.boundary).contains(shape(area.boundary)), area.name
