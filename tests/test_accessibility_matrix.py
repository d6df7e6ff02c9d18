"""WCAG 2.1 AA on every page of the permission matrix that a role can reach: axe-core
at 360 and 1280 px, in Swedish and in English, and no page scrolls sideways on a phone.

Each HTML page of tests/matrix.MATRIX is opened as one role that gets
it (the start page as every role: it is a different page for each), plus the pages the
matrix samples only by one URL (allauth's sign-up and password reset, two-factor set-up)
and the error pages. The Django admin is left out: it is Django's own, for staff.
Screenshots of the start pages, the composer and the error pages go to
artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from config import errors
from config.ratelimit import too_many_requests
from tests import matrix
from tests.browser import (
    DESKTOP,
    PHONE,
    Browsing,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
)

if TYPE_CHECKING:
    from playwright.sync_api import Route

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}

# Not pages: data, feeds, files, fragments and the liveness answer.
NOT_HTML = {
    "watch:areas_geojson",
    "watch:municipalities_geojson",
    "healthz",
    "liveness",
    "too_large",
    "javascript-catalog",
    "watch:members_csv",
    "watch:observations_csv",
    "watch:observation_photo",
    "notifications:reply_photo",
    "watch:statistics_csv",
    "watch:area_calendar",
    "accounts:data_export",
    "notifications:alert_cap",
    "notifications:area_feed",
    "notifications:municipality_feed",
    "notifications:municipality_cap_feed",
    "admin:index",
    # A fragment of the report form ("Is it one of these?"), checked within it.
    "watch:observation_nearby",
    # The installable app's manifest (JSON) and service worker (JavaScript).
    "webmanifest",
    "service_worker",
    # The e-mail as the composer's Check page frames it: its sandboxed policy runs no
    # script, axe's included (tests/test_alert_email_look.py holds its markup).
    "notifications:alert_email",
    # Letters and labels to print.
    "watch:paper_letters_pdf",
    "watch:paper_labels_pdf",
}
# Who opens a page that several roles get: the one who uses it.
PREFERRED = ("member_a", "contact_a", "police", "coord", "anonymous", "member", "admin")
START_PAGE_ROLES = ("anonymous", "member", "member_a", "contact_a", "coord", "police")
# Pages whose screenshots (artifacts/screenshots/, both widths and languages) are looked at
# after every change of the design: the start pages, the composer and the error pages.
SCREENSHOTS = ("watch:home", "notifications:alert_", "404", "403", "413")

Get = Callable[[str], Any]
Case = tuple[str, str, Callable[[Get], str]]  # (id, role, URL builder)


def matrix_url(name: str) -> Callable[[Get], str]:
    row = matrix.MATRIX[name]
    return lambda get: reverse(name, args=row["args"](get) if "args" in row else None)


def cases() -> Iterator[Case]:
    for name, row in matrix.MATRIX.items():
        outcomes = row.get("GET")
        if name in NOT_HTML or not outcomes:
            continue
        reached = [role for role in PREFERRED if outcomes[role] == 200]
        roles = (
            [r for r in START_PAGE_ROLES if outcomes[r] == 200]
            if name == "watch:home"
            else reached[:1]
        )
        for role in roles:
            yield f"{name}-{role}", role, matrix_url(name)
    # The composer's Who and Check as the police see them, beside the contact's above.
    for step in ("notifications:alert_who", "notifications:alert_detail"):
        yield f"{step}-police_draft", "police", police_draft_url(step)
    yield "account_signup", "anonymous", lambda get: reverse("account_signup")
    yield "account_reset_password", "anonymous", lambda get: reverse("account_reset_password")
    yield "mfa_activate_totp", "coord_nomfa", lambda get: reverse("mfa_activate_totp")
    yield "404", "member_a", lambda get: "/no-such-page/"
    yield "403", "contact_a", lambda get: reverse("watch:area_edit", args=[get("area").pk])
    # Where the TLS proxy sends a body over its limit; Django's own 413 is the same page.
    yield "413", "member_a", lambda get: reverse("too_large")


def police_draft_url(name: str) -> Callable[[Any], str]:
    return lambda get: reverse(name, args=[get("police_draft").pk])


CASES = list(cases())


def in_language(user: Any, language: str) -> Any:
    # Signed-in users are served in their profile's language (accounts.middleware).
    if user is not None:
        user.language = language
        user.save(update_fields=["language"])
    return user


def test_every_html_page_of_the_matrix_is_checked():
    checked = {case_id.rsplit("-", 1)[0] for case_id, _role, _url in CASES}
    html = {name for name, row in matrix.MATRIX.items() if row.get("GET")} - NOT_HTML
    unreachable = {
        name for name in html if not any(o == 200 for o in matrix.MATRIX[name]["GET"].values())
    }
    assert html - unreachable <= checked


@pytest.mark.parametrize(("case_id", "role", "url"), CASES, ids=[case[0] for case in CASES])
def test_no_serious_violation_at_either_width_in_either_language(
    request, browsing: Browsing, case_id: str, role: str, url: Callable[[Get], str]
):
    get = request.getfixturevalue
    fixture = matrix.ROLES[role]
    address = url(get)
    problems = []
    for language in ("sv", "en"):
        user = in_language(get(fixture), language) if fixture else None
        # One page load per language: checked on a phone, then widened to a desktop
        # (the layout is CSS media queries and resize handlers), which halves the loads.
        page = browsing.page(user, viewport=PHONE, language=language)
        page.goto(address)
        for viewport in (PHONE, DESKTOP):
            if viewport is DESKTOP:
                page.set_viewport_size(DESKTOP)
                # Let a resize's layout and the maps' resize handlers run first.
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
            where = f"{case_id} [{language}, {viewport['width']} px]"
            violations = Axe().run(page, options=WCAG_AA).response["violations"]
            problems += [
                f"{where} {v['id']} ({v['impact']}): {v['help']} at "
                f"{[node['target'] for node in v['nodes']][:4]}"
                for v in violations
                if v["impact"] in BLOCKING
            ]
            if case_id.startswith(SCREENSHOTS):
                browsing.screenshot(page, f"{language}-{viewport['width']}")
            if viewport is PHONE:
                overflow = page.evaluate(
                    "() => document.documentElement.scrollWidth"
                    " - document.documentElement.clientWidth"
                )
                if overflow > 0:
                    problems.append(f"{where} scrolls sideways by {overflow} px")
        page.context.close()
    assert problems == [], "\n".join(problems)


def error_page(code: int, language: str) -> HttpResponse:
    """The page the server answers with ``code``, rendered by its own handler."""
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.LANGUAGE_CODE = language
    with translation.override(language):
        if code == 400:
            return errors.bad_request(request, SuspiciousOperation())
        if code == 429:
            return too_many_requests(request, 60)
        return errors.server_error(request)


def serve(response: HttpResponse) -> Callable[[Route], None]:
    def fulfil(route: Route) -> None:
        route.fulfill(
            status=response.status_code,
            body=response.content,
            content_type="text/html; charset=utf-8",
        )

    return fulfil


@pytest.mark.parametrize("code", [400, 429, 500])
def test_the_error_pages_no_request_reaches_here_pass_too(browsing: Browsing, code: int):
    """400, 429 and 500 take a broken request, a spent limit or a failing server: the
    browser is served each handler's own page at an address of the site instead."""
    address = f"/errors/{code}/preview/"
    problems = []
    for language in ("sv", "en"):
        response = error_page(code, language)
        for viewport in (PHONE, DESKTOP):
            page = browsing.page(viewport=viewport, language=language)
            page.route(f"**{address}", serve(response))
            page.goto(address)
            where = f"{code} [{language}, {viewport['width']} px]"
            violations = Axe().run(page, options=WCAG_AA).response["violations"]
            problems += [
                f"{where} {v['id']} ({v['impact']}): {v['help']}"
                for v in violations
                if v["impact"] in BLOCKING
            ]
            browsing.screenshot(page, f"{language}-{viewport['width']}")
            page.context.close()
    assert problems == [], "\n".join(problems)
