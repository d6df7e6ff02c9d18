"""An area's management page on a 360 px phone, once a member with a long e-mail
address has been approved: nothing scrolls sideways, and the map draws the area's
outline under the households' pins (Chromium through Playwright, tests/browser.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser import (
    DESKTOP,
    PHONE,
    Browsing,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
    expect,
)
from tests.factories import HouseholdFactory, UserFactory, resident
from watch.community.models import AwayNotice
from watch.households.models import Membership, MembershipStatus

pytestmark = pytest.mark.browser

# 60 characters, and a single word as far as line breaking goes.
LONG_EMAIL = "kristina.margareta.johansson-lindqvist.mariestad@example.org"


def test_an_approved_member_with_a_long_address_fits_a_phone(
    browsing: Browsing, area, area_contact
):
    assert len(LONG_EMAIL) == 60
    user = UserFactory(email=LONG_EMAIL, full_name="Kristina Johansson-Lindqvist")
    household = HouseholdFactory.inside(area, street_address="Långgatan 12")
    resident(user, household)
    Membership.objects.create(household=household, area=area, requested_by=user)

    page = browsing.page(area_contact, viewport=PHONE)
    page.goto(reverse("watch:manage_area", args=[area.pk]))
    page.locator(".card", has_text="Långgatan 12").get_by_role("button", name="Approve").click()
    expect(page.locator(".messages")).to_contain_text("is now a member.")
    expect(page.get_by_text(LONG_EMAIL)).to_be_visible()

    # The outline is drawn under the pins: one path for the area, one marker per household.
    points_map = page.locator(".map[data-map='points']")
    expect(points_map.locator(".leaflet-overlay-pane path")).to_have_count(1)
    expect(points_map.locator(".leaflet-marker-icon")).to_have_count(2)
    pin = points_map.locator('.leaflet-marker-icon[alt="Långgatan 12, Mariestad"]')
    expect(pin).to_be_visible()
    # Measured once the map has drawn, the page as the contact sees it.
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"the page is {scroll_width} px wide"
    browsing.screenshot(page, "phone")
    assert Membership.objects.get(household=household).status == MembershipStatus.APPROVED
    browsing.assert_no_script_errors()


def test_on_a_phone_each_household_is_a_card_and_addresses_keep_to_one_line(
    browsing: Browsing, area, area_contact
):
    user = UserFactory(email="sara.ekstrom@example.com", full_name="Sara Ekström")
    resident(user, HouseholdFactory.inside(area, street_address="Kastanjgatan 11"))
    Membership.objects.create(
        household=user.household_member.household,
        area=area,
        requested_by=user,
        status=MembershipStatus.APPROVED,
    )

    page = browsing.page(area_contact, viewport=PHONE)
    page.goto(reverse("watch:manage_area", args=[area.pk]))

    row = page.get_by_role("row", name="Kastanjgatan 11")
    expect(row).to_be_visible()
    # A card: the household's cells one under the other, each the width of the list,
    # so an ordinary address is not broken inside (it was, letter by letter, in columns).
    address, members, remove = (
        row.get_by_role(role).first.bounding_box() for role in ("rowheader", "cell", "link")
    )
    assert address["y"] < members["y"] < remove["y"]
    assert members["width"] > 0.8 * PHONE["width"]
    email = row.get_by_text("sara.ekstrom@example.com")
    line_height = email.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert email.bounding_box()["height"] < 1.5 * line_height
    browsing.assert_no_script_errors()


def test_the_page_on_a_desktop(browsing: Browsing, area, area_contact):
    page = browsing.page(area_contact, viewport=DESKTOP)
    page.goto(reverse("watch:manage_area", args=[area.pk]))

    expect(page.locator(".map[data-map='points'] .leaflet-overlay-pane path")).to_have_count(1)
    browsing.screenshot(page, "desktop")
    browsing.assert_no_script_errors()


def test_an_away_notice_keeps_each_date_to_one_line(browsing: Browsing, area, area_contact):
    """A range of dates broke at a hyphen on a phone: "2026-12-" above "28"."""
    household = area_contact.household_member.household
    today = timezone.localdate()
    AwayNotice.objects.create(
        household=household, starts_on=today, ends_on=today + timedelta(days=14)
    )

    page = browsing.page(area_contact, viewport=PHONE)
    page.goto(reverse("watch:manage_area", args=[area.pk]))

    row = page.get_by_role("row", name=household.street_address)
    for day in (today, today + timedelta(days=14)):
        date = row.locator(".nowrap", has_text=f"{day:%Y-%m-%d}")
        line_height = date.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
        assert date.bounding_box()["height"] < 1.5 * line_height
    label, dates = row.get_by_role("cell").first.evaluate(
        "cell => [getComputedStyle(cell, '::before').content, cell.children.length]"
    )
    assert label != "none"
    assert dates == 1  # one item beside the label, not one per date
    browsing.assert_no_script_errors()
