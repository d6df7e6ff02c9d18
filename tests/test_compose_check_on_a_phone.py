"""The composer's last step, Check, on a 360 px phone in Swedish and English: the counts
per channel are a card per outcome with every count named (four channels beside the
reasons ran off the screen), nothing scrolls sideways, and the alert can be sent from
under the summary of what, who and when, before its previews (Chromium, tests/browser.py)."""

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
from tests.factories import alert_for, member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEND = {"sv": "Skicka nu", "en": "Send now"}
WHERE = {"sv": "Vart den går", "en": "Where it goes"}
WEBSITE = {"sv": "På webbplatsen", "en": "In the app"}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_check_step_fits_a_phone_and_sends_from_the_top(
    browsing: Browsing, police, area, language
):
    member_of(area)
    alert = alert_for(police, area, title="Stölder ur förråd")
    police.language = language
    police.save(update_fields=["language"])
    page = browsing.page(police, viewport=PHONE, language=language)

    page.goto(reverse("notifications:alert_detail", args=[alert.pk]))

    sends = page.get_by_role("button", name=SEND[language])
    expect(sends).to_have_count(2)
    where = page.get_by_role("heading", name=WHERE[language]).bounding_box()
    assert sends.first.bounding_box()["y"] < where["y"]
    # A count is named with its channel, on one line (two would be 56 px high).
    named = page.locator(f'.channel-counts td[data-label="{WEBSITE[language]}"]').first
    assert WEBSITE[language] in named.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert named.bounding_box()["height"] < 40
    assert_no_sideways_scrolling(page, PHONE)
    browsing.screenshot(page, f"check-{language}")
    browsing.assert_no_script_errors()
