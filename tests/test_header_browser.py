"""The header on the narrowest phone (360 px), as drawn: at most 64 px tall for every
role in both languages, even with an unread count, and the site's name clear of the menu
button."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.alerts.models import Channel, Delivery
from notifications.outbox.models import DeliveryStatus
from tests.browser import (
    PHONE,
    Browsing,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
)
from tests.factories import sent_public_alert

pytestmark = pytest.mark.browser

ROLES = ("area_member", "area_contact", "coordinator", "police")


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_the_phone_header_is_one_row_at_most_64_px_tall(
    browsing: Browsing, request, police, area, role, language
):
    user = request.getfixturevalue(role)
    user.language = language  # a member's own choice wins over the browser's
    user.save(update_fields=["language"])
    for n in range(12):  # a two-digit count, the widest a badge gets in practice
        Delivery.objects.create(
            alert=sent_public_alert(police, area, title=f"Larm {n}"),
            user=user,
            area=area,
            channel=Channel.INAPP,
            status=DeliveryStatus.SENT,
        )
    page = browsing.page(user, viewport=PHONE, language=language)

    page.goto(reverse("watch:home"))

    header = page.locator(".site-header").bounding_box()
    brand = page.locator(".brand").bounding_box()
    button = page.locator(".menu > summary").bounding_box()
    assert header is not None
    assert brand is not None
    assert button is not None
    assert header["height"] <= 64
    assert brand["x"] + brand["width"] <= button["x"]
    assert page.locator(".menu > summary .count").inner_text().startswith("12")
    browsing.screenshot(page, "header")
    browsing.assert_no_script_errors()


@pytest.mark.parametrize("width", [1024])  # the narrowest desktop; from 66rem it is the same
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_on_a_desktop_the_sites_whole_name_and_every_link_show(
    browsing: Browsing, request, role, language, width
):
    user = request.getfixturevalue(role)
    user.language = language
    user.save(update_fields=["language"])
    page = browsing.page(user, viewport={"width": width, "height": 800}, language=language)

    page.goto(reverse("watch:home"))

    name = page.locator(".brand span")
    assert name.evaluate("element => element.scrollWidth <= element.clientWidth")
    links = page.locator(".primary-nav a")
    assert links.count() >= 4
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width
    browsing.screenshot(page, "header")
    browsing.assert_no_script_errors()
