"""The coordinator's list of observations on a 360 px phone: each observation a card
under its time, each part beside its label (a place and its coordinates together, not
the coordinates under the label), and nothing scrolling sideways (the table hid the
description, the reporter and the status). The filters fold away unless one is in use,
so the list fills the first screen."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser import (
    DESKTOP,
    PHONE,
    Browsing,
    assert_no_sideways_scrolling,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
    expect,
)
from tests.factories import member_of, observation_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_observation_is_a_card_with_each_part_beside_its_label(
    browsing: Browsing, area, coordinator
):
    observation_in(area, member_of(area, full_name="Tomas Persson"), description="Klotter")

    page = browsing.page(coordinator, viewport=PHONE)
    page.goto(reverse("watch:observation_list"))

    row = page.get_by_role("row", name="Klotter")
    when, category = (row.get_by_role(role).first.bounding_box() for role in ("rowheader", "cell"))
    assert when["y"] < category["y"]  # one under the other: a card
    when_text = row.get_by_role("rowheader")
    line_height = when_text.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert when["height"] < 1.5 * line_height + 16  # one line, and the cell's padding
    place = row.get_by_role("cell").filter(has_text=area.name)
    label_x = place.bounding_box()["x"]
    for part in (place.locator("div"), place.locator(".muted")):
        assert part.bounding_box()["x"] > label_x + 0.3 * PHONE["width"], "under its label"
    for part in (row.get_by_text("Tomas Persson"), row.get_by_role("link", name="Handle No.")):
        box = part.bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"]
    assert_no_sideways_scrolling(page, PHONE)
    browsing.screenshot(page, "phone")
    browsing.assert_no_script_errors()


def test_the_filters_fold_away_on_a_phone_unless_one_is_in_use(
    browsing: Browsing, area, coordinator
):
    observation_in(area, member_of(area), description="Klotter")
    url = reverse("watch:observation_list")
    phone = browsing.page(coordinator, viewport=PHONE)

    phone.goto(url)
    category = phone.get_by_label("Category")
    expect(category).to_be_hidden()
    # The list starts on the first screen, under the folded filters.
    assert phone.get_by_role("row", name="Klotter").bounding_box()["y"] < PHONE["height"]
    phone.get_by_text("Filter and download").click()
    expect(category).to_be_visible()

    phone.goto(f"{url}?status=open")
    expect(phone.get_by_label("Status")).to_be_visible()
    expect(phone.locator("details.filter-panel summary .count")).to_have_text("1 in use")

    desktop = browsing.page(coordinator, viewport=DESKTOP)
    desktop.goto(url)
    expect(desktop.get_by_label("Category")).to_be_visible()
    browsing.assert_no_script_errors()
