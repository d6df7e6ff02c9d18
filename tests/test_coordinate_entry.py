"""Typing a place: latitude first, a pair pasted from a map app, decimal commas.

The household and observation forms ask for the latitude before the longitude, as
people say a place; a "latitude, longitude" pair copied from a map app into the
latitude field fills both, with decimal points or decimal commas.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from watch.areas.geometry.coordinates import coordinate_pair
from watch.community.models import Observation
from watch.households.models import Household

pytestmark = pytest.mark.django_db

ADDRESS = {"street_address": "Marieholmsgatan 3", "postal_code": "54231", "town": "Mariestad"}


def order_of_fields(html: str) -> list[str]:
    return re.findall(r'id="id_(latitude|longitude)"', html)


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("58.7172, 13.8344", (58.7172, 13.8344)),  # Google Maps
        ("58.7172,13.8344", (58.7172, 13.8344)),
        ("58,7172 13,8344", (58.7172, 13.8344)),  # decimal commas, a space between
        ("58,7172; 13,8344", (58.7172, 13.8344)),
        ("58,7172, 13,8344", (58.7172, 13.8344)),
        ("58.7172° N, 13.8344° E", (58.7172, 13.8344)),  # Apple Maps
        (" 58.7172 13.8344 ", (58.7172, 13.8344)),
        ("58, 13", (58.0, 13.0)),
    ],
)
def test_a_pair_as_map_apps_copy_it(text, pair):
    assert coordinate_pair(text) == pair


@pytest.mark.parametrize(
    "text", ["58.7172", "58,7172", "", "north", "58.7172, 13.8344, 7", "1" * 200 + ", 13"]
)
def test_what_is_not_a_pair(text):
    assert coordinate_pair(text) is None


@pytest.mark.parametrize("pasted", ["58.7172, 13.8345", "58,7172 13,8345"])
def test_a_pair_pasted_into_latitude_places_the_household(member, member_client, pasted):
    response = member_client.post(
        reverse("watch:household_edit"), {**ADDRESS, "latitude": pasted, "longitude": ""}
    )

    assert response.status_code == 302
    household = Household.objects.get()
    assert (household.latitude, household.longitude) == (58.7172, 13.8345)


def test_decimal_commas_in_each_field(member, member_client):
    member_client.post(
        reverse("watch:household_edit"), {**ADDRESS, "latitude": "58,7172", "longitude": "13,8345"}
    )

    household = Household.objects.get()
    assert (household.latitude, household.longitude) == (58.7172, 13.8345)


def test_a_form_shown_again_shows_the_pasted_pair_apart(member, member_client):
    response = member_client.post(
        reverse("watch:household_edit"),
        {**ADDRESS, "postal_code": "5423", "latitude": "58,7172 13,8345"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(
        r'id="id_latitude"[^>]*value="58.7172"|value="58.7172"[^>]*id="id_latitude"', html
    )
    assert re.search(
        r'value="13.8345"[^>]*id="id_longitude"|id="id_longitude"[^>]*value="13.8345"', html
    )
    assert not Household.objects.exists()


def test_the_household_form_asks_latitude_first(member_client):
    html = member_client.get(reverse("watch:household_edit")).content.decode()

    assert order_of_fields(html) == ["latitude", "longitude"]
    # Text fields: a number field would drop a pasted pair before the form saw it.
    assert 'type="number"' not in html
    assert "may go here whole" in html  # under Latitude, the first


def test_the_observation_form_asks_latitude_first_and_takes_a_pair(area_member, area):
    client = client_for(area_member)
    html = client.get(reverse("watch:observation_report")).content.decode()
    assert order_of_fields(html) == ["latitude", "longitude"]

    lon, lat = (area.min_lon + area.max_lon) / 2, (area.min_lat + area.max_lat) / 2
    observed = timezone.localtime() - timedelta(hours=2)
    response = client.post(
        reverse("watch:observation_report"),
        {
            "category": "graffiti",
            "observed_at": observed.strftime("%Y-%m-%dT%H:%M"),
            "latitude": f"{lat:.6f}, {lon:.6f}",
            "description": "Tags on the bus shelter",
        },
    )

    assert response.status_code == 302
    observation = Observation.objects.get()
    assert (observation.latitude, observation.longitude) == (
        pytest.approx(lat, abs=1e-6),
        pytest.approx(lon, abs=1e-6),
    )
    assert observation.area == area
