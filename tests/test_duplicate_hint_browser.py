"""In Chromium: the report form shows "Is it one of these?" as soon as the category and
the place are chosen, before anything is sent, and the member adds theirs to the report
already made (static/js/observation-nearby.js). Through Playwright (tests/browser.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser import (
    PHONE,
    Browsing,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
    expect,
)
from tests.factories import centre, member_of, observation_in
from watch.community.models import Observation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_hint_appears_before_sending_and_the_report_is_added_to_the_one_made(
    browsing: Browsing, area, area_member, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    earlier = observation_in(area, reporter=member_of(area), category="vandalism")
    lon, lat = centre(area)
    page = browsing.page(area_member, viewport=PHONE)
    page.goto(reverse("watch:observation_report"))
    posts: list[str] = []
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )
    hint = page.locator("#nearby")
    expect(hint).to_be_empty()

    page.get_by_label("What kind of observation?").select_option("vandalism")
    # The pin is the place; its numbers are folded away, to type or paste.
    expect(page.get_by_label("Latitude")).to_be_hidden()
    page.get_by_text("Type the coordinates instead").click()
    page.get_by_label("Latitude").fill(f"{lat:.6f}")
    page.get_by_label("Longitude").fill(f"{lon:.6f}")
    page.get_by_label("Longitude").dispatch_event("change")

    expect(hint.get_by_role("heading", name="Is it one of these?")).to_be_visible()
    expect(hint).to_contain_text(f"No. {earlier.pk}: Vandalism")
    assert posts == []  # nothing was sent to show it
    browsing.screenshot(page, "hint")

    # Another category: nothing of that kind here, and the hint goes.
    page.get_by_label("What kind of observation?").select_option("graffiti")
    expect(hint).to_be_empty()
    page.get_by_label("What kind of observation?").select_option("vandalism")
    page.get_by_label("What did you see?").fill("Krossad ruta i busskuren")
    hint.get_by_role("button", name="Add mine to this one").click()

    expect(page.locator(".messages")).to_contain_text("Your report was added to the one")
    mine = Observation.objects.get(reporter=area_member)
    assert mine.merged_into == earlier
    browsing.assert_no_script_errors()
