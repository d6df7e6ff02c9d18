"""The composer in a real browser (Chromium through Playwright, maps without tiles): a
police officer sends an alert to an area clicked on the map within a budget of actions;
the map and the list of areas stay in step; the SMS count as typed agrees with the
server's; Leaflet's own texts come from the server."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse

from notifications.alerts import composer
from notifications.alerts.models import Alert, AlertStatus, Delivery
from notifications.sms import segments
from tests.browser import (
    DESKTOP,
    PHONE,
    Browsing,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
    expect,
)
from tests.budget import Actions
from tests.factories import alert_for, member_of

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.browser

BUDGET = 10


def label(text: str) -> re.Pattern[str]:
    """A field's accessible name: Django's label_tag adds a colon ("Title:")."""
    return re.compile(rf"^{re.escape(text)}:?$")


def area_on_the_map(page: Page, area: Any) -> Locator:
    return page.locator(f'[data-map="pick"] path.map-area[data-area="{area.pk}"]')


def click_inside(actions: Actions, area: Locator) -> None:
    """Click an area on the map beside its name (the name is a button of its own): at
    the first of a few points inside it where the area itself is what a click hits,
    since how much of a small area its name covers depends on where the map puts it.
    Measured again until one is found (for up to 10 s): while the map still zooms to fit
    its areas, the area's box moves under the points, and on a busy machine (CI's two
    workers, 5 December) the zoom outlasted 3 s."""
    own = area.get_attribute("data-area")
    area.scroll_into_view_if_needed()
    for _attempt in range(100):
        box = area.bounding_box()
        assert box is not None
        for fx, fy in ((0.25, 0.75), (0.15, 0.15), (0.85, 0.85), (0.15, 0.85), (0.85, 0.15)):
            position = {"x": box["width"] * fx, "y": box["height"] * fy}
            hit = area.page.evaluate(
                "([x, y]) => document.elementFromPoint(x, y)?.getAttribute('data-area')",
                [box["x"] + position["x"], box["y"] + position["y"]],
            )
            if hit == own:
                actions.click(area, position=position)
                return
        area.page.wait_for_timeout(100)
    raise AssertionError(f"no point of area {own} is clear of its name")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_police_officer_sends_an_alert_to_an_area_clicked_on_the_map(
    browsing: Browsing, police, area, area_b, area_member, viewport
):
    neighbour = member_of(area_b)
    page = browsing.page(police, viewport=viewport)
    actions = Actions(page)
    page.goto(reverse("watch:home"))

    actions.click(page.locator("main").get_by_role("link", name="New alert"))
    expect(page.get_by_role("heading", name="What is the alert?")).to_be_visible()
    actions.fill(page.get_by_label(label("Title")), "Inbrott på Marieholm")
    actions.fill(
        page.get_by_label(label("Message")),
        "Tre villor har haft inbrott i natt. Håll utkik efter en vit skåpbil.",
    )
    browsing.screenshot(page, "what")
    actions.click(page.get_by_role("button", name="Continue"))

    expect(page.get_by_role("heading", name="Who gets it?")).to_be_visible()
    click_inside(actions, area_on_the_map(page, area))
    expect(page.get_by_label("Marieholm (Mariestad)")).to_be_checked()
    expect(page.get_by_label("Ekudden (Mariestad)")).not_to_be_checked()
    browsing.screenshot(page, "who")
    actions.click(page.get_by_role("button", name="Continue"))

    expect(page.get_by_role("heading", name="When does it go out?")).to_be_visible()
    browsing.screenshot(page, "when")
    actions.click(page.get_by_role("button", name="Continue"))

    expect(page.get_by_role("heading", name="Check the alert, then send it")).to_be_visible()
    expect(page.locator(".map-area-label", has_text="Marieholm")).to_be_visible()
    expect(
        page.frame_locator("iframe.email-frame").get_by_text("Inbrott på Marieholm").first
    ).to_be_visible()
    browsing.screenshot(page, "check")
    actions.click(page.get_by_role("button", name="Send now").first)

    expect(page.locator(".messages")).to_contain_text("The alert is being sent.")
    assert actions.count <= BUDGET, actions.count
    print(f"actions: {actions.count}")  # the measured budget (pytest -s)
    alert = Alert.objects.get()
    assert (alert.title, alert.kind, alert.author) == (
        "Inbrott på Marieholm",
        "police_alert",
        police,
    )
    assert alert.status in {AlertStatus.SENDING, AlertStatus.SENT}
    assert list(alert.target_areas.all()) == [area]
    assert Delivery.objects.filter(alert=alert, user=area_member).exists()
    assert not Delivery.objects.filter(alert=alert, user=neighbour).exists()
    browsing.assert_no_script_errors()


def test_the_map_and_the_list_of_areas_stay_in_step(browsing: Browsing, police, area, area_b):
    draft = alert_for(police, area_b)
    page = browsing.page(police, viewport=DESKTOP)
    page.goto(reverse("notifications:alert_who", args=[draft.pk]))
    marieholm, ekudden = area_on_the_map(page, area), area_on_the_map(page, area_b)
    marieholm_box = page.get_by_label("Marieholm (Mariestad)")
    ekudden_box = page.get_by_label("Ekudden (Mariestad)")

    # The draft's area is coloured, the other is not.
    expect(ekudden).to_have_class(re.compile(r"\bmap-area-chosen\b"))
    expect(marieholm).not_to_have_class(re.compile(r"\bmap-area-chosen\b"))
    # A click on the map ticks the list, and a second one unticks it.
    click_inside(Actions(page), marieholm)
    expect(marieholm_box).to_be_checked()
    expect(marieholm).to_have_class(re.compile(r"\bmap-area-chosen\b"))
    expect(page.locator(".map-area-label-chosen", has_text="Marieholm")).to_be_visible()
    # Its name on the map works too.
    page.locator(".map-area-label", has_text="Marieholm").click()
    expect(marieholm_box).not_to_be_checked()
    # The list (keyboard: Space on a focused checkbox) colours the map.
    ekudden_box.focus()
    page.keyboard.press("Space")
    expect(ekudden_box).not_to_be_checked()
    expect(ekudden).not_to_have_class(re.compile(r"\bmap-area-chosen\b"))
    browsing.screenshot(page, "in-step")
    browsing.assert_no_script_errors()


@pytest.mark.parametrize(
    "body",
    [
        "Kort.",
        "x" * 158,  # with "T" and the line break: 160 septets, one SMS
        "x" * 159,
        "€" * 79,  # an extension character is two septets: 160 again
        "€" * 80,
        "🚓" * 34,  # UCS-2: 70 units in one SMS, an emoji is two
        "🚓" * 35,
        "ord " * 150,  # longer than three: shortened with a link
    ],
    ids=["short", "gsm-160", "gsm-161", "ext-160", "ext-162", "ucs2-70", "ucs2-72", "long"],
)
def test_the_sms_count_as_typed_agrees_with_the_server(browsing: Browsing, police, body):
    page = browsing.page(police, viewport=DESKTOP)
    page.goto(reverse("notifications:alert_create"))
    count = page.locator("output[data-sms-counter]")

    page.get_by_label(label("Title")).fill("T")
    page.get_by_label(label("Message")).fill(body)

    encoding, segments_ = segments.count_segments(f"T\n{body.strip()}")
    expect(count).to_have_text(composer.sms_length_text(segments_, segments.max_segments_setting()))
    hint = page.locator("[data-sms-hint]")
    if encoding == "UCS-2":
        expect(hint).to_be_visible()
    else:
        expect(hint).to_be_hidden()
    # What the server counts once it has the text agrees (the count without JavaScript).
    page.get_by_role("button", name="Continue").click()
    draft = Alert.objects.get()
    page.goto(reverse("notifications:alert_edit", args=[draft.pk]))
    expect(count).to_have_text(composer.sms_length_text(segments_, segments.max_segments_setting()))
    browsing.assert_no_script_errors()


def test_leaflets_own_texts_come_from_the_server(browsing: Browsing, police, member, area):
    draft = alert_for(police, area)
    page = browsing.page(police, viewport=DESKTOP)
    page.goto(reverse("notifications:alert_who", args=[draft.pk]))
    pick = page.locator('[data-map="pick"]')
    strings = json.loads(pick.get_attribute("data-leaflet-strings") or "{}")

    assert set(strings) == {"zoomIn", "zoomOut", "marker", "attribution"}
    expect(pick.locator(".leaflet-control-zoom-in")).to_have_attribute("title", strings["zoomIn"])
    expect(pick.locator(".leaflet-control-zoom-out")).to_have_attribute(
        "aria-label", strings["zoomOut"]
    )
    expect(
        pick.locator('.leaflet-control-attribution a[href="https://leafletjs.com"]')
    ).to_have_attribute("title", strings["attribution"])

    household = browsing.page(member, viewport=DESKTOP)
    household.goto(reverse("watch:household_edit"))
    pin = household.locator('[data-map="pin"].leaflet-container')
    pin.click()
    expect(pin.locator(".leaflet-marker-icon")).to_have_attribute("alt", strings["marker"])
    browsing.assert_no_script_errors()


def test_a_version_in_another_language_is_written_in_its_fold(browsing: Browsing, police, area):
    """At 360 px the What step keeps the versions folded in one line; opened, Arabic is
    typed right to left, and Check shows it so."""
    page = browsing.page(police, viewport=PHONE)
    page.goto(reverse("notifications:alert_create"))
    versions = page.locator("details.versions")
    expect(versions).not_to_have_attribute("open", "")
    expect(page.get_by_label(label("Title (Arabic)"))).to_be_hidden()
    fold = versions.locator("> summary")
    folded = fold.bounding_box()
    assert folded is not None
    assert folded["height"] < 60
    browsing.screenshot(page, "what-folded")

    page.get_by_label(label("Title")).fill("Bilinbrott")
    page.get_by_label(label("Message")).fill("Flera bilar i natt.")
    fold.click()
    page.locator("details.version", has_text="Arabic").locator("> summary").click()
    arabic_title = page.get_by_label(label("Title (Arabic)"))
    arabic_title.fill("سرقة سيارات")
    page.get_by_label(label("Message (Arabic)")).fill("عدة سيارات الليلة الماضية.")
    assert arabic_title.evaluate("input => getComputedStyle(input).direction") == "rtl"
    # Nothing spills sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    browsing.screenshot(page, "what-arabic")
    page.get_by_role("button", name="Continue").click()

    alert = Alert.objects.get()
    assert alert.versions.get().language == "ar"
    page.goto(reverse("notifications:alert_detail", args=[alert.pk]))
    arabic = page.locator('.alert-version [lang="ar"]')
    expect(arabic).to_contain_text("سرقة سيارات")
    assert arabic.evaluate("element => getComputedStyle(element).direction") == "rtl"
    browsing.screenshot(page, "check-versions")
    browsing.assert_no_script_errors()
