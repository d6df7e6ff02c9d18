import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import WatchAreaFactory, member_of
from watch.roles.models import AreaContact

pytestmark = pytest.mark.django_db


def test_geojson_lists_active_areas_with_names_and_links_only(client, area, area_b, area_contact):
    area_b.status = "proposed"
    area_b.save()

    data = client.get(reverse("watch:areas_geojson")).json()

    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["name"] for f in data["features"]] == ["Marieholm"]
    feature = data["features"][0]
    assert set(feature["properties"]) == {"name", "municipality", "url"}
    assert feature["geometry"]["type"] == "Polygon"
    body = client.get(reverse("watch:areas_geojson")).content.decode()
    assert area_contact.email not in body
    assert area_contact.full_name not in body


def test_geojson_filters_by_municipality(client, area, area_c):
    data = client.get(reverse("watch:areas_geojson"), {"municipality": "toreboda"}).json()

    assert [f["properties"]["name"] for f in data["features"]] == ["Bråten"]


@pytest.mark.parametrize("rows", [1, 50])
def test_geojson_runs_a_constant_number_of_queries(
    client, municipality, rows, django_assert_max_num_queries
):
    WatchAreaFactory.create_batch(rows, municipality=municipality)

    with django_assert_max_num_queries(1):
        response = client.get(reverse("watch:areas_geojson"))

    assert len(response.json()["features"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_area_list_runs_a_constant_number_of_queries(
    client, municipality, rows, django_assert_max_num_queries
):
    WatchAreaFactory.create_batch(rows, municipality=municipality)

    with django_assert_max_num_queries(4):
        response = client.get(reverse("watch:area_list"))

    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_manage_list_runs_a_constant_number_of_queries(
    coordinator, municipality, rows, django_assert_max_num_queries
):
    areas = WatchAreaFactory.create_batch(rows, municipality=municipality)
    for area in areas:
        member_of(area)
    client = client_for(coordinator)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("watch:manage"))

    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == rows + 1


@pytest.mark.parametrize("rows", [1, 120])
def test_contact_dashboard_runs_a_constant_number_of_queries(
    area, area_contact, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        member_of(area)
    AreaContact.objects.get(user=area_contact)
    client = client_for(area_contact)

    # 15: one of them asks for the area's households on paper (watch/paper).
    with django_assert_max_num_queries(15):
        response = client.get(reverse("watch:manage_area", args=[area.pk]))

    assert response.status_code == 200


def test_area_page_of_a_proposed_area_is_hidden_from_the_public(client, area):
    area.status = "proposed"
    area.save()

    assert client.get(reverse("watch:area_detail", args=[area.pk])).status_code == 404
