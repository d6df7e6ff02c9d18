"""The list of alerts on a 360 px phone, as a police officer checks one on the way: each
alert a card with its title first, nothing scrolling sideways, and the date on one line
(it broke at a hyphen, "2026-12-" above "05 11:47", even on a desktop). On a desktop the
title has room and the counts are right-aligned."""

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
from tests.factories import sent_public_alert

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Inbrott i villor i Björkäng och Marieholm under natten"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_each_alert_is_a_card_on_a_phone_and_its_date_keeps_to_one_line(
    browsing: Browsing, area, police, viewport
):
    alert = sent_public_alert(police, area, title=TITLE)

    page = browsing.page(police, viewport=viewport)
    page.goto(reverse("notifications:alert_list"))

    row = page.get_by_role("row", name=TITLE)
    expect(row.get_by_role("rowheader")).to_contain_text(TITLE)
    title, created = (row.get_by_role(role).first.bounding_box() for role in ("rowheader", "cell"))
    date = row.get_by_text(f"{alert.created_at:%Y}-")
    line_height = date.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert date.bounding_box()["height"] < 1.5 * line_height
    assert_no_sideways_scrolling(page, viewport)
    if viewport == PHONE:
        assert title["y"] < created["y"]  # one under the other: a card
        assert created["width"] > 0.8 * PHONE["width"]
        # The column's name shown beside a value is not read out a second time.
        expect(row.get_by_role("cell", name=area.name, exact=True)).to_be_visible()
    else:
        # The title has room (beside six columns it wrapped onto three lines), and the
        # counts stand in a column of their own, right-aligned.
        assert title["width"] >= 288
        sent = row.get_by_role("cell").nth(3)
        assert sent.evaluate("e => getComputedStyle(e).textAlign") == "right"
    browsing.screenshot(page, viewport_name(viewport))
    browsing.assert_no_script_errors()


def viewport_name(viewport: dict[str, int]) -> str:
    return "phone" if viewport == PHONE else "desktop"
