"""A member's household page on a 360 px phone: each neighbour who shares their details is
a card, their name first, with a phone number to tap, and nothing scrolls sideways (the
table cut off the phone and e-mail columns). An e-mail address has the card's whole width,
so one of usual length is not broken inside a word."""

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


def test_each_neighbour_is_a_card_with_a_number_to_tap(browsing: Browsing, area, area_member):
    neighbour = member_of(
        area,
        full_name="Kristina Johansson-Lindqvist",
        email="kristina.johansson-lindqvist@example.org",
        phone="+46701740650",
    )
    anna = member_of(area, full_name="Anna Bergström", email="anna.bergstrom@example.com")
    for sharing in (neighbour, anna):
        sharing.household_member.share_contact_details = True
        sharing.household_member.save()

    page = browsing.page(area_member, viewport=PHONE)
    page.goto(reverse("watch:household"))

    row = page.get_by_role("row", name="Kristina Johansson-Lindqvist")
    name, address = (row.get_by_role(role).first.bounding_box() for role in ("rowheader", "cell"))
    assert name["y"] < address["y"]  # one under the other: a card
    expect(row.get_by_role("link", name="+46 70 174 06 50")).to_have_attribute(
        "href", "tel:+46701740650"
    )
    email = row.get_by_text("kristina.johansson-lindqvist@example.org").bounding_box()
    assert email["x"] + email["width"] <= PHONE["width"]
    usual = page.get_by_role("row", name="Anna Bergström").get_by_role("link")
    expect(usual).to_have_attribute("href", "mailto:anna.bergstrom@example.com")
    assert usual.evaluate("link => link.getClientRects().length") == 1  # one line
    assert_no_sideways_scrolling(page, PHONE)
    browsing.screenshot(page, "phone")
    browsing.assert_no_script_errors()


def test_the_calendar_address_is_copied_with_one_tap(browsing: Browsing, area, area_member):
    page = browsing.page(area_member, viewport=PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(reverse("watch:household"))

    address = page.get_by_label("Your area's calendar").input_value()
    subscribe = page.get_by_role("link", name="Subscribe in your calendar app")
    expect(subscribe).to_have_attribute("href", "webcal://" + address.split("://", 1)[1])
    page.get_by_role("button", name="Copy the address").click()

    expect(page.get_by_role("status").filter(has_text="copied")).to_have_text(
        "The address is copied."
    )
    assert page.evaluate("navigator.clipboard.readText()") == address
    assert_no_sideways_scrolling(page, PHONE)
    browsing.screenshot(page, "calendar")
    browsing.assert_no_script_errors()
