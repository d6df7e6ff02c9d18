"""A member's choice of channels on a 360 px phone: each kind of message a card, each
channel's name beside its checkbox (four columns of checkboxes did not fit: "In the app"
and "Push" were off the screen), and a choice made there is kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.alerts.models import Channel, Kind
from notifications.preferences.models import Preference
from tests import push_service
from tests.browser import (
    PHONE,
    Browsing,
    assert_no_sideways_scrolling,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
    expect,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_kind_is_a_card_and_a_choice_made_on_a_phone_is_kept(
    browsing: Browsing, member, settings
):
    push_service.configure(settings)  # push on: all four channels, the widest page
    page = browsing.page(member, viewport=PHONE)
    page.goto(reverse("notifications:preferences"))

    tips = page.get_by_role("row", name="Crime-prevention tip")
    for channel in Channel.labels:
        box = tips.locator(f"[data-label='{channel}'] input").bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= PHONE["width"], f"{channel} is off the screen"
    assert_no_sideways_scrolling(page, PHONE)
    sms = tips.locator("[data-label='SMS'] input")
    expect(sms).not_to_be_checked()
    sms.check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_be_visible()

    assert Preference.objects.get(user=member, kind=Kind.TIP).sms
    browsing.screenshot(page, "phone")
    browsing.assert_no_script_errors()
