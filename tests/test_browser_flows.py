"""The main flows in a real browser: Chromium through Playwright, against a live server.

Maps run without tiles (every request off the live server is blocked, see
tests/browser.py), as they must on a machine with no internet. Screenshots of the
key pages go to artifacts/screenshots/ (360 px wide for residents, 1280 px for the
coordinator's editor).
"""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings

from tests.browser import (
    DESKTOP,
    Browsing,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
    expect,
    map_zoom,
    wait_for_zoom,
)
from tests.factories import HouseholdFactory, resident
from watch.areas.models import AreaStatus, WatchArea
from watch.households.models import Membership, MembershipStatus

pytestmark = pytest.mark.browser

# GEOMETRY_REGION_BBOX: lon 10.5-24.5, lat 55.0-69.5.
SWEDEN = (10.5, 55.0, 24.5, 69.5)


# Where the area editor draws: 150 px is about 3 km there (see the test).
DRAWING_ZOOM = 12


def map_centre() -> tuple[float, float]:
    """(lat, lon) where every map opens (MAP_CENTER_LATITUDE/LONGITUDE)."""
    lat, lon = settings.LEAFLET_CONFIG["DEFAULT_CENTER"]
    return float(lat), float(lon)


def label(text: str) -> re.Pattern[str]:
    """A form field's accessible name: Django's label_tag adds a colon ("Town:")."""
    return re.compile(rf"^{re.escape(text)}:?$")


def centre_of(area: WatchArea) -> tuple[float, float]:
    return (area.min_lon + area.max_lon) / 2, (area.min_lat + area.max_lat) / 2


def test_coordinator_draws_an_area_and_saves_it(browsing: Browsing, coordinator, municipality):
    page = browsing.page(coordinator, viewport=DESKTOP)
    page.goto("/manage/areas/new/")
    expect(page.get_by_role("heading", name="New area")).to_be_visible()

    page.get_by_label(label("Municipality")).select_option(label=municipality.name)
    page.get_by_label(label("Name")).fill("Snickarbacken")
    page.get_by_label(label("Status")).select_option(label="Active")

    editor = ".map-editor.leaflet-container"
    expect(page.locator(editor)).to_be_visible()
    polygon_tool = page.locator(f"{editor} .leaflet-draw-draw-polygon")
    expect(polygon_tool).to_be_visible()

    # The editor opens on the whole region (zoom 10, about 80 m a pixel): a 150 px
    # square would be some 140 km². At zoom 12 (about 20 m a pixel) it is ~9 km²,
    # well within 1,000 m² - 50 km².
    zoom = map_zoom(page, editor)
    while zoom != DRAWING_ZOOM:
        button, step = ("Zoom in", 1) if zoom < DRAWING_ZOOM else ("Zoom out", -1)
        page.locator(editor).get_by_role("button", name=button).click()
        zoom += step
        wait_for_zoom(page, editor, zoom)

    page.locator(editor).scroll_into_view_if_needed()
    polygon_tool.click()
    box = page.locator(editor).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    corners = [(x - 75, y - 75), (x + 75, y - 75), (x + 75, y + 75), (x - 75, y + 75)]
    vertices = page.locator(f"{editor} .leaflet-editing-icon")
    for count, corner in enumerate(corners, start=1):
        page.mouse.click(*corner)
        expect(vertices).to_have_count(count)
        # Leaflet.draw ignores a click within 50 ms of the last vertex (a guard against
        # double clicks, _enableNewMarkers in leaflet.draw-src.js): click at a person's pace.
        page.wait_for_timeout(100)
    page.mouse.click(*corners[0])  # the first point again closes the polygon
    expect(vertices).to_have_count(0)

    boundary = page.get_by_label(label("Boundary"))
    expect(boundary).to_have_value(re.compile(r'^\{"type":"Polygon","coordinates":'))
    drawn = json.loads(boundary.input_value())
    ring = drawn["coordinates"][0]
    assert len(ring) == 5, ring  # four corners, closed
    assert ring[0] == ring[-1]
    expect(page.locator(f"{editor} path.leaflet-interactive")).to_have_count(1)
    browsing.screenshot(page, "drawn")

    page.get_by_role("button", name="Save the area").click()
    expect(page.locator(".messages")).to_contain_text("The area Snickarbacken has been saved.")
    expect(page.get_by_role("heading", name="Snickarbacken")).to_be_visible()
    browsing.screenshot(page, "saved")

    area = WatchArea.objects.get(name="Snickarbacken")
    assert area.municipality == municipality
    assert area.status == AreaStatus.ACTIVE
    assert area.boundary["type"] == "Polygon"
    min_lon, min_lat, max_lon, max_lat = SWEDEN
    assert min_lon < area.min_lon < area.max_lon < max_lon
    assert min_lat < area.min_lat < area.max_lat < max_lat
    # Drawn round the centre of the map, which opens on MAP_CENTER; 150 px at zoom 12
    # is about 3 km: some 0.05 degrees of longitude and 0.027 of latitude.
    centre_lat, centre_lon = map_centre()
    assert area.min_lon < centre_lon < area.max_lon
    assert area.min_lat < centre_lat < area.max_lat
    assert 0.02 < area.max_lon - area.min_lon < 0.1
    assert 0.01 < area.max_lat - area.min_lat < 0.05
    browsing.assert_no_script_errors()


def test_resident_places_a_pin_sees_the_area_and_asks_to_join_then_becomes_member(
    browsing: Browsing, member, area, area_contact
):
    page = browsing.page(member)
    page.goto("/household/edit/")
    expect(page.get_by_role("heading", name="Register your household")).to_be_visible()
    page.get_by_label(label("Street address")).fill("Marieholmsgatan 3")
    page.get_by_label(label("Postal code")).fill("54230")
    page.get_by_label(label("Town")).fill("Mariestad")

    # A click on the map puts the pin there and writes its coordinates into the fields.
    pin_map = page.locator('[data-map="pin"].leaflet-container')
    expect(pin_map).to_be_visible()
    longitude = page.get_by_label(label("Longitude"))
    latitude = page.get_by_label(label("Latitude"))
    expect(longitude).to_have_value("")
    pin_map.click()  # the middle of the map, which opens on MAP_CENTER
    expect(page.locator('[data-map="pin"] .leaflet-marker-icon')).to_have_count(1)
    expect(longitude).to_have_value(re.compile(r"^\d+\.\d+$"))
    expect(latitude).to_have_value(re.compile(r"^\d+\.\d+$"))
    centre_lat, centre_lon = map_centre()
    assert float(longitude.input_value()) == pytest.approx(centre_lon, abs=0.05)
    assert float(latitude.input_value()) == pytest.approx(centre_lat, abs=0.05)
    browsing.screenshot(page, "pin")

    # Then the exact spot, typed: the middle of Marieholm (the numbers are folded away).
    lon, lat = centre_of(area)
    expect(longitude).to_be_hidden()
    page.get_by_text("Type the coordinates instead").click()
    longitude.fill(f"{lon:.6f}")
    latitude.fill(f"{lat:.6f}")
    # This resident asks from the household page, after seeing which area the home is in.
    page.get_by_label("Ask to join the watch area my home is in").uncheck()
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("Your household has been saved.")
    expect(page.get_by_role("heading", name="Your household")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Your address is in Marieholm (Mariestad).")
    join = page.get_by_role("button", name="Ask to join Marieholm")
    expect(join).to_be_visible()
    browsing.screenshot(page, "household")

    join.click()
    expect(page.locator(".messages")).to_contain_text(
        "Your request has been sent to the area's contacts."
    )
    expect(page.get_by_text("Marieholm: Requested")).to_be_visible()
    browsing.screenshot(page, "requested")

    # The area contact, in a browser of their own.
    contact_page = browsing.page(area_contact)
    contact_page.goto(f"/manage/areas/{area.pk}/")
    expect(contact_page.get_by_role("heading", name="Marieholm")).to_be_visible()
    request_card = contact_page.locator(".card", has_text="Marieholmsgatan 3")
    expect(request_card).to_contain_text("542 30 Mariestad")
    expect(request_card).to_contain_text("Maja Medlem")
    browsing.screenshot(contact_page, "pending")
    request_card.get_by_role("button", name="Approve").click()
    expect(contact_page.locator(".messages")).to_contain_text(
        "Marieholmsgatan 3, Mariestad is now a member."
    )
    expect(contact_page.get_by_text("No pending requests.")).to_be_visible()
    browsing.screenshot(contact_page, "approved")

    page.goto("/household/")
    expect(page.locator("main p", has_text="Marieholm:").locator("strong")).to_have_text("Member")
    expect(page.get_by_role("link", name="Leave the area")).to_be_visible()
    browsing.screenshot(page, "member")

    membership = Membership.objects.get(household__members__user=member)
    assert membership.area == area
    assert membership.status == MembershipStatus.APPROVED
    assert membership.requested_by == member
    assert membership.decided_by == area_contact
    assert membership.household.postal_code == "542 30"
    assert (membership.household.longitude, membership.household.latitude) == pytest.approx(
        (lon, lat), abs=1e-6
    )
    browsing.assert_no_script_errors()


def test_maps_still_work_when_tiles_do_not_load(browsing: Browsing, area):
    page = browsing.page()
    page.goto("/areas/")
    expect(page.get_by_role("heading", name="Watch areas")).to_be_visible()

    area_map = page.locator('[data-map="areas"]')
    expect(area_map).to_have_class(re.compile(r"\bleaflet-container\b"))
    # No tile loads here: one notice under the map, not one per tile.
    notice = page.locator(".map-notice")
    expect(notice).to_have_text(
        "The background map could not be loaded. Areas and pins still work."
    )
    expect(notice).to_have_count(1)
    expect(notice).to_have_attribute("role", "status")
    # The area itself is drawn, and its popup links to its page.
    polygon = area_map.locator("path.leaflet-interactive")
    expect(polygon).to_have_count(1)
    # The plain list for people who cannot use a map.
    row = page.get_by_role("row", name="Marieholm")
    expect(row).to_contain_text("Mariestad")
    browsing.screenshot(page, "areas")

    polygon.click()
    popup_link = area_map.locator(".leaflet-popup-content").get_by_role("link", name="Marieholm")
    expect(popup_link).to_have_attribute("href", browsing.base_url + area.get_absolute_url())
    browsing.assert_no_script_errors()


def test_keyboard_only_join(browsing: Browsing, member, area):
    household = HouseholdFactory.inside(area, street_address="Tangentvägen 1")
    resident(member, household)
    page = browsing.page(member)
    page.goto("/household/")
    join = page.get_by_role("button", name="Ask to join Marieholm")
    expect(join).to_be_visible()

    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => document.activeElement && document.activeElement.textContent"
        )
        if "Ask to join" in (focused or ""):
            break
    else:
        pytest.fail("40 presses of Tab never reached the join button")
    expect(join).to_be_focused()
    browsing.screenshot(page, "focused")
    page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text(
        "Your request has been sent to the area's contacts."
    )
    membership = Membership.objects.get(household=household)
    assert membership.area == area
    assert membership.status == MembershipStatus.REQUESTED
    assert membership.requested_by == member
    browsing.assert_no_script_errors()
