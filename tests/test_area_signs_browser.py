"""A contact places a sign on a 360 px phone: the map to click shows the area's own
outline, fitted to it (it showed the neighbourhood at a fixed zoom, the area no different
from the others), and the signs already up are cards with their Change link in view."""

from __future__ import annotations

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
from watch.signs.models import Sign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_pin_map_shows_the_area_and_a_click_in_it_places_the_sign(
    browsing: Browsing, area, area_contact
):
    Sign.objects.create(
        area=area,
        latitude=(area.min_lat + area.max_lat) / 2,
        longitude=area.min_lon,
        place="Infarten från väster",
    )
    page = browsing.page(area_contact, viewport=PHONE)
    page.goto(reverse("watch:area_signs", args=[area.pk]))

    pin_map = page.locator(".map[data-map='pin']")
    outline = pin_map.locator(".leaflet-overlay-pane path")
    expect(outline).to_have_count(1)
    drawn, shown = outline.bounding_box(), pin_map.bounding_box()
    assert drawn["width"] > 0.5 * shown["width"] or drawn["height"] > 0.5 * shown["height"]
    pin_map.click(position={"x": shown["width"] / 2, "y": shown["height"] / 2})
    latitude = float(page.locator("#id_latitude").input_value())
    longitude = float(page.locator("#id_longitude").input_value())
    assert area.min_lat < latitude < area.max_lat
    assert area.min_lon < longitude < area.max_lon

    row = page.get_by_role("row", name="Infarten från väster")
    change = row.get_by_role("link", name="Change").bounding_box()
    assert change["x"] + change["width"] <= PHONE["width"]
    assert_no_sideways_scrolling(page, PHONE)
    browsing.screenshot(page, "phone")
    browsing.assert_no_script_errors()
