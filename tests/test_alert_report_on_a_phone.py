"""An alert's delivery report on a 360 px phone: every column of every table is on the
screen (no column hidden off to the side without a hint), and the page does not scroll
sideways (Chromium through Playwright, tests/browser.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.alerts.models import Channel, Delivery
from notifications.outbox.models import DeliveryStatus
from tests.browser import (
    DESKTOP,
    PHONE,
    Browsing,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
    expect,
)
from tests.factories import alert_for, member_of

pytestmark = pytest.mark.browser

# Whether a table-wrap's content is wider than the wrapper: a column off to the side.
OVERFLOWING = """() => [...document.querySelectorAll('.table-wrap')]
    .filter((wrap) => wrap.scrollWidth > wrap.clientWidth)
    .map((wrap) => wrap.getAttribute('aria-labelledby') || wrap.getAttribute('aria-label'))"""


@pytest.fixture
def alert(police, area):
    alert = alert_for(police, area, status="sent", title="Inbrott på Storgatan")
    for status in (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED):
        for channel in Channel.values:
            Delivery.objects.create(
                alert=alert,
                user=member_of(area),
                area=area,
                channel=channel,
                status=status,
                last_error="550 5.1.1 <lisa.karlsson-andersson@example.org>: User unknown"
                if status == DeliveryStatus.FAILED
                else "",
            )
    return alert


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_report_fits_a_phone(browsing: Browsing, police, alert, language):
    police.language = language
    police.save(update_fields=["language"])
    page = browsing.page(police, viewport=PHONE, language=language)
    page.goto(reverse("notifications:alert_detail", args=[alert.pk]))

    statuses = page.locator("[aria-labelledby='messages-heading'] tbody th")
    expect(statuses).to_have_count(5)
    browsing.screenshot(page, f"phone-{language}")
    assert page.evaluate(OVERFLOWING) == []
    for row in range(5):  # Queued, Sending, Sent, Failed, Not sent: all on the screen
        box = statuses.nth(row).bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= PHONE["width"]
    for cell in page.locator("[aria-labelledby='messages-heading'] tr > *:last-child").all():
        box = cell.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= PHONE["width"]
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"the page is {scroll_width} px wide"
    browsing.assert_no_script_errors()


def test_the_report_on_a_desktop(browsing: Browsing, police, alert):
    page = browsing.page(police, viewport=DESKTOP)
    page.goto(reverse("notifications:alert_detail", args=[alert.pk]))

    assert page.evaluate(OVERFLOWING) == []
    browsing.screenshot(page, "desktop")
    browsing.assert_no_script_errors()
