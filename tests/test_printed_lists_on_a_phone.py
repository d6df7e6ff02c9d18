"""The member list and the household list an area's contacts print, opened on a 360 px
phone: a card for each member or household, nothing off the screen (the member list was
632 px wide, the household list 693 px with its e-mail addresses out of sight)."""

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
from tests.factories import member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "kristina.johansson-lindqvist@example.org"


@pytest.mark.parametrize(
    ("url_name", "row_name"),
    [("watch:members_print", "Kristina Johansson-Lindqvist"), ("watch:household_list", None)],
)
def test_each_member_or_household_is_a_card_on_a_phone(
    browsing: Browsing, area, area_contact, url_name, row_name
):
    member = member_of(
        area, full_name="Kristina Johansson-Lindqvist", email=EMAIL, phone="+46701740650"
    )
    member.household_member.share_contact_details = True
    member.household_member.save()

    page = browsing.page(area_contact, viewport=PHONE)
    page.goto(reverse(url_name, args=[area.pk]))

    row = page.get_by_role("row", name=row_name or member.household_member.household.street_address)
    header, first = (row.get_by_role(role).first.bounding_box() for role in ("rowheader", "cell"))
    assert header["y"] < first["y"]  # one under the other: a card
    expect(row.get_by_text(EMAIL)).to_be_visible()
    email = row.get_by_text(EMAIL).bounding_box()
    assert email["x"] + email["width"] <= PHONE["width"]
    # A member who shares nothing has no e-mail line, not its name over an empty space.
    assert page.locator('td[data-label="E-mail"]:empty:visible').count() == 0
    assert_no_sideways_scrolling(page, PHONE)
    browsing.screenshot(page, "phone")
    browsing.assert_no_script_errors()
