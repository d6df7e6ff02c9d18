"""Address search: Nominatim's client against recorded answers, and the two places
that use it (registering a household without a pin, finding the area for an address)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from tests.factories import square
from tests.recorded_http import RecordedServer, recorded_server
from watch.areas import geocoding
from watch.areas.geocoding import AddressQuery, GeocoderUnavailable, NominatimGeocoder, Place
from watch.households.models import Household

DATA = Path(__file__).parent / "data" / "nominatim"
QUERY = AddressQuery("Marieholmsgatan 3", "542 31", "Mariestad")


@pytest.fixture
def nominatim(settings, monkeypatch) -> Iterator[RecordedServer]:
    with recorded_server(DATA, monkeypatch, path="/search") as fake:
        settings.GEOCODER_BACKEND = "watch.areas.geocoding.NominatimGeocoder"
        settings.GEOCODER_URL = fake.url
        settings.GEOCODER_TIMEOUT_SECONDS = 2
        yield fake


def test_a_found_address_is_its_place(nominatim):
    nominatim.respond_with("found")

    place = NominatimGeocoder().geocode(QUERY)

    assert place == Place(
        longitude=13.8344871,
        latitude=58.7172046,
        label="3, Marieholmsgatan, Marieholm, Mariestad, Mariestads kommun, "
        "Västra Götalands län, 542 31, Sverige",
    )


def test_the_request_is_a_structured_search_in_sweden_that_says_who_asks(nominatim):
    nominatim.respond_with("found")

    NominatimGeocoder().geocode(QUERY)

    [request] = nominatim.requests
    assert request.method == "GET"
    assert request.path.startswith("/search?")
    assert request.query == {
        "street": "Marieholmsgatan 3",
        "postalcode": "54231",
        "city": "Mariestad",
        "countrycodes": "se",
        "format": "jsonv2",
        "limit": "1",
    }
    assert request.headers["User-Agent"].startswith("Grannsamverkan (")


def test_at_most_one_lookup_a_second_leaves_the_site(nominatim, client, area, monkeypatch):
    # Nominatim's usage policy, and the public address search is open to anyone: a burst
    # must neither get the site banned nor hold every worker for the timeout.
    monkeypatch.setattr(geocoding.time, "time", lambda: 1_800_000_000.5)
    nominatim.respond_with("found", "found")

    NominatimGeocoder().geocode(QUERY)
    with pytest.raises(GeocoderUnavailable):
        NominatimGeocoder().geocode(QUERY)
    response = client.get(
        reverse("watch:area_list"), {"street_address": "Marieholmsgatan 3", "town": "Mariestad"}
    )

    assert len(nominatim.requests) == 1
    assert response.status_code == 200
    assert "not available right now" in response.content.decode()

    monkeypatch.setattr(geocoding.time, "time", lambda: 1_800_000_001.5)
    assert NominatimGeocoder().geocode(QUERY) is not None


def test_an_unknown_address_is_none(nominatim):
    nominatim.respond_with("not_found")

    assert NominatimGeocoder().geocode(QUERY) is None


@pytest.mark.parametrize("answer", ["rate_limited", "server_error", "html_page", "error_object"])
def test_an_answer_that_is_not_a_result_list_means_unavailable(nominatim, answer):
    nominatim.respond_with(answer)

    with pytest.raises(GeocoderUnavailable):
        NominatimGeocoder().geocode(QUERY)


def test_a_server_that_does_not_answer_in_time_means_unavailable(nominatim):
    nominatim.delay = 10

    with pytest.raises(GeocoderUnavailable):
        NominatimGeocoder(timeout=0.2).geocode(QUERY)


def test_the_url_must_be_http(settings):
    settings.GEOCODER_URL = "file:///etc/passwd"

    with pytest.raises(ImproperlyConfigured, match="http"):
        NominatimGeocoder()


# --- Registering a household without a pin ---------------------------------------------------

ADDRESS = {"street_address": "Marieholmsgatan 3", "postal_code": "54231", "town": "Mariestad"}


def test_a_household_without_coordinates_is_placed_at_its_address(nominatim, member_client):
    nominatim.respond_with("found")

    response = member_client.post(
        reverse("watch:household_edit"), {**ADDRESS, "longitude": "", "latitude": ""}
    )

    assert response.status_code == 302
    household = Household.objects.get()
    assert (household.longitude, household.latitude) == (13.8344871, 58.7172046)


def test_an_address_that_is_not_found_saves_nothing(nominatim, member_client):
    nominatim.respond_with("not_found")

    response = member_client.post(reverse("watch:household_edit"), ADDRESS)

    assert "This address was not found." in response.content.decode()
    assert not Household.objects.exists()


def test_a_pin_is_used_as_placed_without_asking_the_geocoder(nominatim, member_client):
    response = member_client.post(
        reverse("watch:household_edit"), {**ADDRESS, "longitude": "13.8345", "latitude": "58.7172"}
    )

    assert response.status_code == 302
    assert nominatim.requests == []


# --- Finding the area for an address ----------------------------------------------------------


@pytest.fixture
def area(area):
    """Area A, moved over the recorded address."""
    area.boundary = square(13.832, 58.715)
    area.save()
    return area


def test_the_area_list_names_the_area_covering_an_address(nominatim, client, area):
    nominatim.respond_with("found")

    response = client.get(
        reverse("watch:area_list"), {"street_address": "Marieholmsgatan 3", "town": "Mariestad"}
    )

    body = response.content.decode()
    assert f'is in the watch area <a href="{area.get_absolute_url()}">{area.name}</a>' in body


def test_an_address_outside_every_area_is_offered_interest(nominatim, client, area):
    nominatim.respond_with("found")
    area.status = "paused"
    area.save()

    response = client.get(
        reverse("watch:area_list"), {"street_address": "Marieholmsgatan 3", "town": "Mariestad"}
    )

    assert "No active watch area covers" in response.content.decode()
    assert reverse("watch:interest") in response.content.decode()


def test_an_unreachable_geocoder_leaves_the_list_of_areas(nominatim, client, area):
    nominatim.respond_with("server_error")

    response = client.get(
        reverse("watch:area_list"), {"street_address": "Marieholmsgatan 3", "town": "Mariestad"}
    )

    body = response.content.decode()
    assert "Address search is not available right now." in body
    assert area.name in body


def test_switched_off_address_search_is_not_offered(client, member_client, area):
    # GEOCODER_BACKEND is DisabledGeocoder in the tests, as by default.
    response = client.get(reverse("watch:area_list"))
    assert "Find the area for an address" not in response.content.decode()
    assert area.name in response.content.decode()

    response = member_client.post(reverse("watch:household_edit"), ADDRESS)
    body = response.content.decode()
    assert "Place the pin on your home on the map, or type its coordinates." in body
    assert "looked up" not in body
    assert not Household.objects.exists()
