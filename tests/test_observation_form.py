"""The report form asks what and when first, then where: the place is a pin on the map,
starting at the member's address, with its coordinates folded away to type or paste (they
stood as two fields to fill, already filled, under the map). Wrong coordinates open them,
and every error is listed at the top with a link to its field."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.browser import (
    PHONE,
    Browsing,
    assert_no_sideways_scrolling,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
    expect,
)
from tests.conftest import client_for
from watch.community.models import Observation

REPORT = reverse("watch:observation_report")


def details_of(page: str) -> str:
    return re.search(r'<details class="advanced".*?</details>', page, re.S).group()


@pytest.mark.django_db
def test_what_and_when_come_before_where_and_the_coordinates_are_folded(area_member):
    page = client_for(area_member).get(REPORT).content.decode()

    order = [page.index(text) for text in ("id_category", "id_observed_at", "Where did you")]
    assert order == sorted(order)
    assert "Move the pin to the place. It starts at your address." in page
    folded = details_of(page)
    assert folded.startswith('<details class="advanced">')
    assert 'id="id_latitude"' in folded
    assert 'id="id_longitude"' in folded


@pytest.mark.django_db
def test_wrong_coordinates_open_them_and_the_errors_are_listed_first(area_member):
    response = client_for(area_member).post(
        REPORT, {"category": "graffiti", "latitude": "north", "longitude": ""}
    )

    page = response.content.decode()
    assert details_of(page).startswith('<details class="advanced" open>')
    summary = page.index("There is a problem")
    assert summary < page.index('id="id_category"')
    for field in ("id_latitude", "id_longitude", "id_description", "id_observed_at"):
        assert f'href="#{field}"' in page
    assert not Observation.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_member_places_the_pin_and_never_sees_a_number(
    browsing: Browsing, area_member
):
    page = browsing.page(area_member, viewport=PHONE)
    page.goto(REPORT)

    latitude = page.get_by_label("Latitude")
    expect(latitude).to_be_hidden()
    before = latitude.input_value()
    page.wait_for_function("() => (window.__gsvMaps || []).length === 1")
    page.locator(".map").click(position={"x": 60, "y": 120})

    expect(latitude).not_to_have_value(before)  # the tap moved the pin, and the numbers
    assert_no_sideways_scrolling(page, PHONE)
    browsing.screenshot(page, "phone")
    browsing.assert_no_script_errors()
