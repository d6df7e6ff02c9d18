"""The installable app in Chromium: the manifest is valid, the service worker registers at
the site's root, the inbox a member opened still opens offline, but not once its session
has ended, the browser session it was made in is over, or the site answered for someone
else; and logging out leaves no copy of it behind. (Push itself needs a push service,
which Chromium has not here: the server's side is proven against a local one,
tests/test_push_delivery.py.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from notifications.alerts.models import Channel, Delivery
from tests.browser import (
    Browsing,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
    expect,
    session_key,
)
from tests.factories import sent_public_alert

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTROLLED = "navigator.serviceWorker.controller !== null"
OFFLINE = r"ERR_INTERNET_DISCONNECTED|ERR_FAILED"
CACHED_PAGES = "caches.has('inbox-v1').then((has) => has ? caches.open('inbox-v1').then((c) => c.keys()).then((k) => k.length) : 0)"  # noqa: E501


@pytest.fixture
def entry(area, area_member, police) -> Delivery:
    alert = sent_public_alert(police, area, title="Inbrott på Storgatan")
    return Delivery.objects.create(
        alert=alert, user=area_member, area=area, channel=Channel.INAPP, status="sent"
    )


def installed(browsing: Browsing, user) -> Page:  # type: ignore[no-untyped-def]
    """A page on which the service worker is active and controls the page."""
    page = browsing.page(user)
    page.goto("/")
    page.wait_for_function(
        "navigator.serviceWorker.ready.then((r) => r.active.state === 'activated')"
    )
    page.reload()
    page.wait_for_function(CONTROLLED)
    return page


def test_the_manifest_is_valid_and_the_worker_has_the_whole_site(browsing, area_member):
    page = installed(browsing, area_member)

    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    data = page.evaluate("fetch('/manifest.webmanifest').then((r) => r.json())")
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")

    assert manifest["errors"] == []
    assert manifest["url"].endswith("/manifest.webmanifest")
    assert (data["start_url"], data["scope"], data["display"]) == ("/", "/", "standalone")
    assert data["name"] == "Grannsamverkan"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in data["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in data["icons"]:
        assert page.request.get(icon["src"]).headers["content-type"] == "image/png"
    assert scope == f"{browsing.base_url}/"
    browsing.assert_no_script_errors()


def test_the_inbox_opened_online_opens_offline(browsing, area_member, entry):
    page = installed(browsing, area_member)
    page.goto("/notifications/inbox/")
    page.goto(f"/notifications/inbox/{entry.pk}/")
    expect(page.get_by_role("heading", name="Inbrott på Storgatan")).to_be_visible()
    assert page.evaluate(CACHED_PAGES) == 2  # the list and the entry

    page.context.set_offline(True)
    page.goto("/notifications/inbox/")
    expect(page.get_by_role("link", name="Inbrott på Storgatan")).to_be_visible()
    page.goto(f"/notifications/inbox/{entry.pk}/")
    expect(page.get_by_role("heading", name="Inbrott på Storgatan")).to_be_visible()
    # Styled from the kept stylesheet, not the browser's defaults.
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    browsing.assert_no_script_errors()


def test_the_worker_keeps_the_last_51_inbox_pages(browsing, area, area_member, police):
    entries = [
        Delivery.objects.create(
            alert=sent_public_alert(police, area, title=f"Larm {n}"),
            user=area_member,
            area=area,
            channel=Channel.INAPP,
            status="sent",
        )
        for n in range(53)
    ]
    page = installed(browsing, area_member)
    page.goto("/notifications/inbox/")
    for entry in entries:
        page.goto(f"/notifications/inbox/{entry.pk}/")

    kept = page.evaluate(
        "caches.open('inbox-v1').then((c) => c.keys()).then((keys) => keys.map((k) => k.url))"
    )

    assert len(kept) == 51
    opened_first = f"/notifications/inbox/{entries[1].pk}/"
    assert not any(url.endswith(opened_first) for url in kept)
    assert any(url.endswith(f"/notifications/inbox/{entries[2].pk}/") for url in kept)


def test_logging_out_leaves_no_copy_of_the_inbox(browsing, area_member, entry):
    page = installed(browsing, area_member)
    page.goto(f"/notifications/inbox/{entry.pk}/")
    assert page.evaluate(CACHED_PAGES) == 1

    page.goto("/accounts/logout/")
    page.get_by_role("main").get_by_role("button", name="Log out").click()

    page.wait_for_function("caches.keys().then((keys) => keys.length === 0)")
    # The worker goes too, and with it the browser's push subscription.
    page.wait_for_function(
        "navigator.serviceWorker.getRegistrations().then((found) => found.length === 0)"
    )
    page.context.set_offline(True)
    with pytest.raises(Exception, match=OFFLINE):
        page.goto(f"/notifications/inbox/{entry.pk}/")


def test_a_copy_is_not_shown_offline_after_its_session_ended(
    browsing, settings, area_member, entry
):
    page = installed(browsing, area_member)
    # The session's age is counted from when the inbox page saves it.
    settings.SESSION_COOKIE_AGE = 3
    page.goto(f"/notifications/inbox/{entry.pk}/")
    expires = page.evaluate(
        "caches.open('inbox-v1').then((c) => c.match(location.href))"
        ".then((copy) => Number(copy.headers.get('Inbox-Expires')))"
    )

    page.context.set_offline(True)
    page.wait_for_timeout(max(0, expires * 1000 - page.evaluate("Date.now()")) + 100)
    with pytest.raises(Exception, match=OFFLINE):
        page.goto(f"/notifications/inbox/{entry.pk}/")
    # Deleted, not just hidden (asked of the worker: the page is the browser's error page).
    assert page.context.service_workers[0].evaluate(CACHED_PAGES) == 0


def test_a_copy_is_not_shown_offline_once_the_browser_session_is_over(
    browsing, settings, area_member, entry
):
    page = installed(browsing, area_member)
    # The session ends with the browser, as after a login without "Remember me".
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    page.goto(f"/notifications/inbox/{entry.pk}/")
    page.context.set_offline(True)
    page.goto(f"/notifications/inbox/{entry.pk}/")  # shown while the browser session lasts
    expect(page.get_by_role("heading", name="Inbrott på Storgatan")).to_be_visible()

    # Closing the browser drops its session cookies and keeps the rest.
    kept = [cookie for cookie in page.context.cookies() if cookie["expires"] != -1]
    page.context.clear_cookies()
    page.context.add_cookies(kept)
    with pytest.raises(Exception, match=OFFLINE):
        page.goto(f"/notifications/inbox/{entry.pk}/")


@pytest.mark.parametrize("next_visitor", ["nobody", "another member"])
def test_a_page_answered_for_someone_else_empties_the_copies(
    browsing, settings, area_member, member, entry, next_visitor
):
    page = installed(browsing, area_member)
    page.goto(f"/notifications/inbox/{entry.pk}/")
    assert page.evaluate(CACHED_PAGES) > 0

    # The session ended (the login page is what the next person sees), or another member
    # signed in; either way the next page of the site is not the inbox's owner's.
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    if next_visitor == "another member":
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session_key(member),
                    "url": browsing.base_url,
                }
            ]
        )
    page.goto("/")

    assert page.evaluate(CACHED_PAGES) == 0
    page.context.set_offline(True)
    with pytest.raises(Exception, match=OFFLINE):
        page.goto(f"/notifications/inbox/{entry.pk}/")
    browsing.assert_no_script_errors()
