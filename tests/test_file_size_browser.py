"""A chosen file over its limit is refused in the browser before the form is sent
(static/js/file-size.js), and a boundary file within it is drawn on the area's map
before it is saved (maps.js). Chromium through Playwright (tests/browser.py)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from tests.browser import (
    DESKTOP,
    PHONE,
    Browsing,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
    expect,
)
from tests.factories import square
from watch.areas.models import WatchArea
from watch.community.models import Observation

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def chosen_files(page: Page, selector: str) -> int:
    return page.eval_on_selector(selector, "input => input.files.length")


def test_a_boundary_file_over_the_limit_is_refused_before_it_is_sent(
    browsing: Browsing, coordinator, municipality, settings
):
    settings.GEOMETRY_MAX_INPUT_BYTES = 4096
    page = browsing.page(coordinator, viewport=PHONE)
    page.goto(reverse("watch:area_create"))
    posts: list[str] = []
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )

    page.set_input_files(
        "#id_boundary_file",
        {"name": "kommunen.geojson", "mimeType": "application/geo+json", "buffer": b" " * 5000},
    )

    error = page.locator("#id_boundary_file_size_error")
    expect(error).to_have_text(
        "This file is too large: it can be at most 4.0\xa0KB. Choose a smaller one."
    )
    expect(error).to_have_attribute("role", "alert")
    expect(page.locator("#id_boundary_file")).to_have_attribute(
        "aria-describedby", re.compile("id_boundary_file_size_error")
    )
    assert chosen_files(page, "#id_boundary_file") == 0
    assert page.input_value("#id_boundary") == ""
    assert posts == []
    browsing.screenshot(page, "refused")
    browsing.assert_no_script_errors()


def test_a_boundary_file_is_drawn_on_the_map_and_saved(
    browsing: Browsing, coordinator, municipality, settings
):
    settings.GEOMETRY_MAX_INPUT_BYTES = 4096
    boundary = json.dumps(square(13.83, 58.72))
    page = browsing.page(coordinator, viewport=DESKTOP)
    page.goto(reverse("watch:area_create"))
    page.set_input_files(
        "#id_boundary_file",
        {"name": "huge.geojson", "mimeType": "application/geo+json", "buffer": b"x" * 5000},
    )
    expect(page.locator("#id_boundary_file_size_error")).to_be_visible()

    # A second choice, within the limit, clears the first one's message.
    page.set_input_files(
        "#id_boundary_file",
        {
            "name": "sjostaden.geojson",
            "mimeType": "application/geo+json",
            "buffer": boundary.encode(),
        },
    )

    expect(page.locator("#id_boundary_file_size_error")).to_have_count(0)
    expect(page.locator("#id_boundary")).to_have_value(boundary)
    expect(page.locator(".map-editor .leaflet-overlay-pane path")).to_have_count(1)
    page.get_by_label("Name").fill("Sjöstaden")
    page.get_by_role("button", name="Save the area").click()
    expect(page.locator(".messages")).to_contain_text("The area Sjöstaden has been saved.")
    area = WatchArea.objects.get()
    assert (area.min_lon, area.min_lat) == pytest.approx((13.83, 58.72))
    browsing.assert_no_script_errors()


def test_a_photo_over_the_limit_is_refused_before_the_report_is_sent(
    browsing: Browsing, area_member, settings
):
    settings.OBSERVATION_PHOTO_MAX_BYTES = 1024
    page = browsing.page(area_member, viewport=PHONE)
    page.goto(reverse("watch:observation_report"))

    page.set_input_files(
        "#id_photo", {"name": "klotter.jpg", "mimeType": "image/jpeg", "buffer": b"\xff" * 2048}
    )

    expect(page.locator("#id_photo_size_error")).to_have_text(
        "This file is too large: it can be at most 1.0\xa0KB. Choose a smaller one."
    )
    assert chosen_files(page, "#id_photo") == 0
    assert not Observation.objects.exists()
    browsing.assert_no_script_errors()
