"""The map pages under the real Content-Security-Policy, in Chromium: not one violation.

Leaflet, Leaflet.draw and maps.js build the maps in the browser, which a static look at
the HTML cannot judge (tests/test_no_inline_code.py does that part). Chromium reports each
violation on the console ("... violates the following Content Security Policy directive")
and as a ``securitypolicyviolation`` event; the tests fail on either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser import (
    DESKTOP,
    Browsing,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
    expect,
)
from tests.factories import HouseholdFactory, alert_for, resident

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# Console messages about these headers: violations, and a Permissions-Policy Chromium
# cannot parse ("Error with Permissions-Policy header: Unrecognized feature ...").
HEADERS = ("Content Security Policy", "Permissions-Policy")
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def csp_page(browsing: Browsing, user=None) -> tuple[Page, list[str]]:
    """A page that records every CSP violation (console and DOM event) and header error."""
    page = browsing.page(user, viewport=DESKTOP)
    page.add_init_script(COLLECT_VIOLATIONS)
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if any(h in message.text for h in HEADERS) else None
        ),
    )
    return page, console


def open_map(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".leaflet-container").first).to_be_visible()
    page.wait_for_function("window.__gsvMaps.length > 0")


def violations(page: Page, console: list[str]) -> list[str]:
    return console + page.evaluate("window.__cspViolations")


def test_the_public_map_and_an_area_page(browsing: Browsing, area):
    page, console = csp_page(browsing)

    open_map(page, "/areas/")
    open_map(page, f"/areas/{area.pk}/")

    assert violations(page, console) == []
    browsing.assert_no_script_errors()


def test_drawing_an_area(browsing: Browsing, coordinator, area):
    page, console = csp_page(browsing, coordinator)
    open_map(page, f"/manage/areas/{area.pk}/edit/")
    open_map(page, "/manage/areas/new/")

    # Leaflet.draw writes its toolbar and tooltips as it goes: draw part of a polygon.
    editor = page.locator(".map-editor.leaflet-container")
    editor.scroll_into_view_if_needed()
    page.locator(".map-editor .leaflet-draw-draw-polygon").click()
    box = editor.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((-60, -60), (60, -60), (60, 60)):
        page.mouse.click(x + dx, y + dy)
        page.wait_for_timeout(100)
    expect(page.locator(".map-editor .leaflet-editing-icon")).to_have_count(3)
    page.mouse.move(x, y + 30)
    expect(page.locator(".leaflet-draw-tooltip")).to_contain_text("first point to close")

    assert violations(page, console) == []
    browsing.assert_no_script_errors()


def test_placing_the_household_pin(browsing: Browsing, member, area):
    page, console = csp_page(browsing, member)

    open_map(page, "/household/edit/")
    page.locator(".leaflet-container").first.click()  # its middle, scrolled into view
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)

    assert violations(page, console) == []
    browsing.assert_no_script_errors()


def test_the_officials_maps(browsing: Browsing, police, area):
    resident(police, HouseholdFactory.inside(area))
    draft = alert_for(police, area)
    page, console = csp_page(browsing, police)

    # The composer's Who (areas to click, a shape to draw) and Check (the areas reached,
    # and the e-mail in a frame with its own sandboxed policy).
    open_map(page, f"/notifications/alerts/{draft.pk}/who/")
    open_map(page, f"/notifications/alerts/{draft.pk}/")
    expect(page.frame_locator("iframe.email-frame").locator("body")).to_contain_text(draft.title)
    open_map(page, f"/manage/areas/{area.pk}/")
    open_map(page, "/manage/interest/")

    assert violations(page, console) == []
    browsing.assert_no_script_errors()


def test_a_violation_would_be_caught(browsing: Browsing, area):
    """The listeners work and the policy is enforced: inline code is refused and reported."""
    page, console = csp_page(browsing)
    open_map(page, "/areas/")

    page.evaluate(
        """() => {
          const script = document.createElement('script');
          script.textContent = 'window.__inlineRan = true;';
          document.body.append(script);
          document.body.insertAdjacentHTML('beforeend', '<p style="color: red">x</p>');
        }"""
    )
    page.wait_for_function("window.__cspViolations.length >= 2")

    assert page.evaluate("window.__inlineRan") is None
    assert any("Content Security Policy" in text for text in console)
    assert {entry.split(" ")[0] for entry in violations(page, [])} >= {
        "script-src-elem",
        "style-src-attr",
    }
