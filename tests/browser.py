"""Playwright helpers for the tests marked ``browser``.

They drive Debian's Chromium (``/usr/bin/chromium``; no browser is ever downloaded)
against pytest-django's ``live_server``. Without Chromium the tests skip with a
visible reason; with ``GSV_REQUIRE_LIVE=1`` (set by .ci/run, which installs
Chromium) they fail instead, so CI cannot pass by skipping them.

- One Chromium per test module (``chromium``), a fresh browser context per page
  (``browsing.page(...)``), so cookies and storage never leak between users or tests.
- Users are logged in without a password or TOTP code: the session cookie of a
  ``Client.force_login`` is handed to the context, with ``django_language=en``.
- Only the live server is reachable: every other request (map tiles) is blocked, so
  the tests behave the same with and without internet, and never load a tile server.
- ``window.__gsvMaps`` holds the Leaflet maps, collected from maps.js's documented
  ``map:ready`` event, so a test can wait for a zoom to finish.
- Uncaught script errors, maps.js warnings and error responses from the live server
  are collected; ``browsing.assert_no_script_errors()`` fails the test on any.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test import Client

try:
    from playwright.sync_api import expect
except ImportError:  # reported by require_chromium(), which skips or fails the tests
    expect = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Page,
        Response,
        Route,
    )

    from accounts.models import User

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "artifacts" / "screenshots"

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 5_000

# Runs before any page script: keeps every Leaflet map maps.js announces, and the zoom
# each settled on (getZoom() changes when an animated zoom starts, zoomend fires when
# it is over; a click on "Zoom in" during the animation would be lost).
COLLECT_MAPS = """
window.__gsvMaps = [];
document.addEventListener('map:ready', (event) => {
  const map = event.detail.map;
  map.gsvSettledZoom = map.getZoom();
  map.on('zoomend', () => { map.gsvSettledZoom = map.getZoom(); });
  window.__gsvMaps.push(map);
});
"""


def require_chromium() -> None:
    """Skip (or, under GSV_REQUIRE_LIVE=1, fail) when the browser cannot be driven."""
    problems = []
    if not CHROMIUM.exists():
        problems.append(f"{CHROMIUM} is missing (apt-get install chromium)")
    if expect is None:
        problems.append("the playwright package is not installed")
    if not problems:
        return
    reason = "needs Debian's Chromium and Playwright: " + " and ".join(problems)
    if os.environ.get("GSV_REQUIRE_LIVE") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module", name="chromium")
def chromium_fixture() -> Iterator[Browser]:
    """One Chromium for the module.

    Playwright's sync API runs an asyncio loop in the main thread, while the ORM calls
    in the tests (and pytest-django's flush after each) stay synchronous: Django's
    documented escape hatch is set for as long as the browser lives.
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Browsing:
    """Pages for one test, each in its own context; closed when the test ends."""

    browser: Browser
    base_url: str
    test_name: str
    contexts: list[BrowserContext] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def page(
        self, user: User | None = None, *, viewport: dict[str, int] = PHONE, language: str = "en"
    ) -> Page:
        """A page in a new context, logged in as ``user`` (if given), in ``language``."""
        context = self.browser.new_context(
            base_url=self.base_url, viewport=viewport, locale={"sv": "sv-SE"}.get(language, "en-GB")
        )
        self.contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        context.route(lambda url: not url.startswith(self.base_url), self._block)
        context.add_init_script(COLLECT_MAPS)
        cookies: list[Any] = [{"name": "django_language", "value": language, "url": self.base_url}]
        if user is not None:
            cookies.append(
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session_key(user),
                    "url": self.base_url,
                }
            )
        context.add_cookies(cookies)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)
        return page

    def screenshot(self, page: Page, step: str) -> Path:
        """A full-page screenshot: artifacts/screenshots/<test-name>-<step>.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.test_name}-{step}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        # A sandboxed frame (the composer's e-mail) is drawn by a process of its own, which
        # a full-page capture leaves blank: each frame is also taken as it is on screen.
        for n, frame in enumerate(page.locator("iframe").all()):
            frame.screenshot(path=str(SCREENSHOTS / f"{self.test_name}-{step}-frame{n + 1}.png"))
        return path

    def assert_no_script_errors(self) -> None:
        assert not self.errors, "script errors in the browser:\n" + "\n".join(self.errors)

    def close(self) -> None:
        for context in self.contexts:
            context.close()

    @staticmethod
    def _block(route: Route) -> None:
        route.abort("internetdisconnected")

    def _response(self, response: Response) -> None:
        # A missing script, image or GeoJSON of our own is a bug even if the page copes.
        if response.url.startswith(self.base_url) and response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def _console(self, message: ConsoleMessage) -> None:
        # maps.js reports what it could not do as console.warn("maps.js:", ...).
        if message.type in ("warning", "error") and message.text.startswith("maps.js:"):
            self.errors.append(f"console.{message.type}: {message.text}")


def session_key(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture(name="browsing")
def browsing_fixture(
    chromium: Browser, live_server: Any, request: pytest.FixtureRequest
) -> Iterator[Browsing]:
    session = Browsing(browser=chromium, base_url=live_server.url, test_name=request.node.name)
    try:
        yield session
    finally:
        session.close()


def map_zoom(page: Page, selector: str) -> int:
    """The zoom level the Leaflet map on the element ``selector`` matches has settled on."""
    return page.locator(selector).evaluate(
        "(el) => window.__gsvMaps.find((map) => map.getContainer() === el).gsvSettledZoom"
    )


def wait_for_zoom(page: Page, selector: str, zoom: int) -> None:
    """Wait until the map has finished zooming (animation included) to ``zoom``."""
    page.wait_for_function(
        "([el, zoom]) => window.__gsvMaps.some("
        "(map) => map.getContainer() === el && map.gsvSettledZoom === zoom)",
        arg=[page.locator(selector).element_handle(), zoom],
    )


def assert_no_sideways_scrolling(page: Page, viewport: dict[str, int]) -> None:
    """Nothing on the page is wider than the window, and no table scrolls inside its
    frame: on a phone, nothing is off the screen."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page is {width} px wide"
    for frame in page.locator(".table-wrap").all():
        assert frame.evaluate("e => e.scrollWidth <= e.clientWidth"), "a table scrolls sideways"
