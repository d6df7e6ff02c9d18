"""The inbox on a phone: each message a card as wide as the page's heading, with no list
bullet beside it taking a tenth of a 360 px screen."""

from __future__ import annotations

import pytest

from notifications.alerts.models import Channel, Delivery, Kind
from tests.browser import (
    Browsing,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
    expect,
)
from tests.factories import sent_public_alert

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_inbox_cards_line_up_with_the_heading_on_a_phone(
    browsing: Browsing, area, area_member, police
):
    for title in ("Inbrott på Storgatan", "Bilinbrott vid Marieholm"):
        Delivery.objects.create(
            alert=sent_public_alert(police, area, title=title),
            user=area_member,
            area=area,
            channel=Channel.INAPP,
            status="sent",
        )
    page = browsing.page(area_member)

    page.goto("/notifications/inbox/")

    cards = page.locator("ul.inbox > li.card")
    expect(cards).to_have_count(2)
    heading = page.get_by_role("heading", name="Inbox").bounding_box()
    for card in cards.all():
        box = card.bounding_box()
        assert heading is not None
        assert box is not None
        assert box["x"] == pytest.approx(heading["x"], abs=1)
        assert box["x"] + box["width"] <= 360
        assert card.evaluate("li => getComputedStyle(li).listStyleType") == "none"
    browsing.assert_no_script_errors()


def test_a_date_keeps_to_one_line_on_a_phone(browsing: Browsing, area, area_member, police):
    """After a long kind ("Crime prevention tip") the date came to the line's end, and
    Chromium broke it at a hyphen: "2026-11-" above "15 12:42"."""
    Delivery.objects.create(
        alert=sent_public_alert(police, area, title="Lås cykeln", kind=Kind.TIP),
        user=area_member,
        area=area,
        channel=Channel.INAPP,
        status="sent",
    )
    page = browsing.page(area_member)

    for width in range(320, 420, 4):  # wherever the line happens to end
        page.set_viewport_size({"width": width, "height": 780})
        page.goto("/notifications/inbox/")
        lines = page.locator("ul.inbox > li.card .muted").evaluate(
            """line => {
                const range = document.createRange();
                const when = /\\d{1,2} \\p{L}+(?: \\d{4})?, \\d{2}:\\d{2}/u;
                const date = line.textContent.match(when)[0];
                const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
                let node;
                while ((node = walker.nextNode())) {
                    const at = node.data.indexOf(date);
                    if (at >= 0) {
                        range.setStart(node, at);
                        range.setEnd(node, at + date.length);
                        return new Set(Array.from(range.getClientRects(), r => r.top)).size;
                    }
                }
                return -1;
            }"""
        )
        assert lines == 1, f"at {width} px the date takes {lines} lines"
    browsing.assert_no_script_errors()
