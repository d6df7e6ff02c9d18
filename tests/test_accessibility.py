"""WCAG 2.1 AA in a real browser: axe-core over the most used pages in both languages,
the keyboard-only send flow, and screenshots of the key pages on a phone and a desktop.

axe-core comes with the pinned axe-playwright-python package (no download). A page
passes when axe reports no violation of impact "serious" or "critical" against the
WCAG 2.0/2.1 A and AA rules; the test prints the lesser ones so they stay visible.
Maps are tested without tiles (tests/browser.py blocks every other host), which is
also what a user of assistive technology meets: the map is one region among the
page's landmarks, never the only way to do something.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from accounts.models import User
from notifications.alerts.models import Alert, AlertStatus, Delivery
from tests.browser import (
    DESKTOP,
    PHONE,
    Browsing,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
    expect,
)
from tests.factories import alert_for
from watch.areas.models import WatchArea

pytestmark = pytest.mark.browser

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}

Get = Callable[[str], Any]

# (page name, who looks at it (a fixture name, or None), how to build its URL)
PAGES: list[tuple[str, str | None, Callable[[Get], str]]] = [
    ("home", None, lambda get: reverse("watch:home")),
    ("area-map", None, lambda get: reverse("watch:area_list")),
    ("area", None, lambda get: get("area").get_absolute_url()),
    ("login", None, lambda get: reverse("account_login")),
    ("signup", None, lambda get: reverse("account_signup")),
    ("household", "area_member", lambda get: reverse("watch:household")),
    ("inbox", "area_member", lambda get: reverse("notifications:inbox")),
    ("preferences", "area_member", lambda get: reverse("notifications:preferences")),
    (
        "manage-area",
        "area_contact",
        lambda get: reverse("watch:manage_area", args=[get("area").pk]),
    ),
    ("compose", "police", lambda get: reverse("notifications:alert_create")),
    (
        "compose-who",
        "police",
        lambda get: reverse("notifications:alert_who", args=[get("draft").pk]),
    ),
    (
        "compose-check",
        "police",
        lambda get: reverse("notifications:alert_detail", args=[get("draft").pk]),
    ),
    (
        "alert-report",
        "police",
        lambda get: reverse("notifications:alert_detail", args=[get("sent").pk]),
    ),
    (
        "statistics",
        "coordinator",
        lambda get: reverse("watch:statistics", args=[get("municipality").pk]),
    ),
]


@pytest.fixture
def sent(police, area, area_member) -> Alert:
    """A police alert sent to A, so the inbox and the report have a row."""
    alert = alert_for(police, area, title="Inbrott på Storgatan")
    alert.status = AlertStatus.SENT
    alert.save()
    Delivery.objects.create(
        alert=alert,
        user=area_member,
        channel="inapp",
        area=area,
        status="sent",
        sent_at=alert.created_at,
    )
    return alert


@pytest.fixture
def draft(police, area, area_b) -> Alert:
    """A police officer's draft to A, between the composer's steps."""
    return alert_for(police, area, title="Inbrott på Storgatan")


def in_language(user: User | None, language: str) -> User | None:
    # Signed-in users are served in their profile's language (accounts.middleware).
    if user is not None:
        user.language = language
        user.save(update_fields=["language"])
    return user


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(("name", "who", "url"), PAGES, ids=[page[0] for page in PAGES])
def test_no_serious_accessibility_violations(
    request, browsing: Browsing, sent, language, name, who, url
):
    get = request.getfixturevalue
    page = browsing.page(in_language(get(who) if who else None, language), language=language)
    page.goto(url(get))
    expect(page.locator("html")).to_have_attribute("lang", language)

    violations = Axe().run(page, options=WCAG_AA).response["violations"]

    blocking = [v for v in violations if v["impact"] in BLOCKING]
    for violation in violations:
        print(f"{name} [{language}] {violation['impact']}: {violation['id']} {violation['help']}")
    assert blocking == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in blocking
    )
    browsing.assert_no_script_errors()


def tab_to(page, selector: str, presses: int = 80) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement?.matches({selector!r}) ?? false"):
            return
    pytest.fail(f"{presses} presses of Tab never reached {selector}")


def test_keyboard_only_send_flow(
    browsing: Browsing, police, area: WatchArea, area_b: WatchArea, area_member
):
    page = browsing.page(in_language(police, "en"), viewport=DESKTOP)
    page.goto(reverse("notifications:alert_create"))

    # What: the officer's first kind, a police alert, is ticked already.
    tab_to(page, "#id_title")
    page.keyboard.type("Inbrott på Storgatan")
    tab_to(page, "#id_body")
    page.keyboard.type("Håll utkik efter en vit skåpbil. Ring 114 14 om du sett något.")
    tab_to(page, "button[type=submit]:not([form])")
    browsing.screenshot(page, "what")
    page.keyboard.press("Enter")

    # Who: the list of areas is the keyboard's way to pick what the map shows (two areas
    # to choose from: an only area is ticked already).
    expect(page.get_by_role("heading", name="Who gets it?")).to_be_visible()
    tab_to(page, "input[name=target_kind][value=areas]")
    page.keyboard.press("Space")
    tab_to(page, f"input[name=target_areas][value='{area.pk}']")
    page.keyboard.press("Space")
    expect(page.locator(f'[data-map="pick"] path.map-area[data-area="{area.pk}"]')).to_have_class(
        re.compile(r"\bmap-area-chosen\b")
    )
    tab_to(page, "button[type=submit]:not([form])")
    browsing.screenshot(page, "who")
    page.keyboard.press("Enter")

    # When: as soon as it is sent.
    expect(page.get_by_role("heading", name="When does it go out?")).to_be_visible()
    tab_to(page, "button[type=submit]:not([form])")
    page.keyboard.press("Enter")

    # Check, then Send.
    expect(page.get_by_role("button", name="Send now").first).to_be_visible()
    tab_to(page, "form[action$='/send/'] button")
    browsing.screenshot(page, "check")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text(
        "The alert is being sent."
    )
    alert = Alert.objects.get()
    assert (alert.title, alert.kind, alert.author) == (
        "Inbrott på Storgatan",
        "police_alert",
        police,
    )
    assert list(alert.target_areas.all()) == [area]
    assert alert.status in {AlertStatus.SENDING, AlertStatus.SENT}
    assert Delivery.objects.filter(alert=alert, user=area_member).exists()
    browsing.assert_no_script_errors()


SCREENS = [
    ("home", None, "watch:home"),
    ("area-map", None, "watch:area_list"),
    ("household", "area_member", "watch:household"),
    ("inbox", "area_member", "notifications:inbox"),
    ("compose", "police", "notifications:alert_create"),
]


@pytest.mark.parametrize(("viewport_name", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
@pytest.mark.parametrize(("name", "who", "url_name"), SCREENS, ids=[s[0] for s in SCREENS])
def test_key_pages_fit_the_screen(
    request, browsing: Browsing, sent, viewport_name, viewport, name, who, url_name
):
    user = in_language(request.getfixturevalue(who), "sv") if who else None
    page = browsing.page(user, viewport=viewport, language="sv")
    page.goto(reverse(url_name))

    # Nothing wider than the screen: no sideways scrolling on a 360 px phone.
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= viewport["width"], f"{name} is {scroll_width} px wide"
    path = browsing.screenshot(page, f"{name}-{viewport_name}")
    assert path.stat().st_size > 0
    browsing.assert_no_script_errors()


def test_swedish_pages_use_swedish_dates(browsing: Browsing, sent, area_member):
    page = browsing.page(in_language(area_member, "sv"), language="sv")
    page.goto(reverse("notifications:inbox"))

    # Swedish dates are "25 november" (this year), "25 november 2025" or "2025-11-25",
    # never "Nov. 25, 2026".
    text = page.locator("main").inner_text()
    assert not re.search(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.? \d", text), text
    months = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
    assert re.search(rf"\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}} (?:{months})\b", text), text


def test_the_help_links_of_the_login_form_are_targets_a_thumb_can_hit(browsing: Browsing):
    """WCAG 2.2's 2.5.8 asks 24 px: "Forgot your password?" was 16 px high."""
    page = browsing.page(viewport=PHONE)
    page.goto(reverse("account_login"))

    forgot = page.get_by_role("link", name="Forgot your password?")

    assert forgot.bounding_box()["height"] >= 24
