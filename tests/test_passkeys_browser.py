"""Passkeys in a real browser: Chromium with DevTools' virtual authenticator.

The virtual authenticator (``WebAuthn.addVirtualAuthenticator``) stands in for a phone's
or computer's: it keeps resident credentials and verifies the user (PIN, fingerprint)
without asking. The live server is http://localhost, a secure context for Chromium, and
its host is the passkeys' site (allauth's RP ID): no insecure-origin setting is needed.
Each test also holds the page to the Content-Security-Policy: allauth's passkey scripts
are static files, and no script error or CSP violation may reach the console.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail

from accounts.models import User
from tests.browser import (
    DESKTOP,
    PHONE,
    Browsing,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
    expect,
)
from tests.factories import DEFAULT_PASSWORD, UserFactory, official
from tests.passkeys import SoftPasskey
from watch.roles.models import OfficialKind

if TYPE_CHECKING:
    from playwright.sync_api import CDPSession, Page

pytestmark = pytest.mark.browser

# A platform authenticator (a phone's or a laptop's) that keeps passkeys and verifies its user.
VIRTUAL_AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}


class Authenticator_:
    """The virtual authenticator of one page, through its DevTools session."""

    def __init__(self, page: Page, **options: Any) -> None:
        self.cdp: CDPSession = page.context.new_cdp_session(page)
        self.cdp.send("WebAuthn.enable")
        self.id = self.cdp.send(
            "WebAuthn.addVirtualAuthenticator", {"options": {**VIRTUAL_AUTHENTICATOR, **options}}
        )["authenticatorId"]

    def credentials(self) -> list[dict[str, Any]]:
        return self.cdp.send("WebAuthn.getCredentials", {"authenticatorId": self.id})["credentials"]

    def add(self, passkey: SoftPasskey) -> None:
        self.cdp.send(
            "WebAuthn.addCredential",
            {"authenticatorId": self.id, "credential": passkey.cdp_credential()},
        )


# What tests/browser.py does on purpose: every request off the live server (map tiles on
# the start page) is blocked.
BLOCKED = "Failed to load resource: net::ERR_INTERNET_DISCONNECTED"


def watch_console(page: Page) -> list[str]:
    """Every console error or warning (a CSP violation is one) on the page."""
    problems: list[str] = []

    def heard(message: Any) -> None:
        if message.type in ("error", "warning") and message.text != BLOCKED:
            problems.append(f"{message.type}: {message.text} ({message.location.get('url')})")

    page.on("console", heard)
    return problems


def label(text: str) -> re.Pattern[str]:
    """A form field's accessible name: Django's label_tag adds a colon ("E-mail:")."""
    return re.compile(rf"^{re.escape(text)}:?$")


def passkeys_of(user: User) -> list[Authenticator]:
    return list(Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN))


def is_signed_in(page: Page) -> bool:
    page.goto("/accounts/profile/")
    return urlsplit(page.url).path == "/accounts/profile/"


def test_the_live_server_is_a_secure_context_for_passkeys(browsing: Browsing):
    page = browsing.page()
    page.goto("/accounts/login/")

    # http://localhost is a secure context; 127.0.0.1 would be one too, but an IP address
    # cannot be a passkey's site (RP ID), so the tests and development use localhost.
    assert urlsplit(browsing.base_url).hostname == "localhost"
    assert page.evaluate("window.isSecureContext") is True
    assert page.evaluate("typeof PublicKeyCredential") == "function"


def test_a_visitor_signs_up_with_a_passkey(browsing: Browsing):
    page = browsing.page(viewport=DESKTOP)
    console = watch_console(page)
    authenticator = Authenticator_(page)

    page.goto("/accounts/signup/")
    page.get_by_role("link", name="Sign up with a passkey").click()
    expect(page.get_by_role("heading", name="Sign up with a passkey")).to_be_visible()
    browsing.screenshot(page, "signup-by-passkey")
    page.get_by_label(label("E-mail")).fill("nova@example.org")
    page.get_by_label(label("Full name")).fill("Nova Granne")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Confirm your e-mail address")).to_be_visible()

    # The link in the e-mail, opened in the same browser, confirms the address and goes on.
    link = re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[-1].body)
    assert link is not None
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Make your passkey")).to_be_visible()
    browsing.screenshot(page, "make-your-passkey")
    page.get_by_role("button", name="Make the passkey").click()

    expect(page.locator(".messages")).to_contain_text("Passkey added.")
    user = User.objects.get(email="nova@example.org")
    assert user.full_name == "Nova Granne"
    assert not user.has_usable_password()
    (passkey,) = passkeys_of(user)
    assert passkey.wrap().is_passwordless is True
    assert [credential["isResidentCredential"] for credential in authenticator.credentials()] == [
        True
    ]
    assert is_signed_in(page)
    browsing.assert_no_script_errors()
    assert console == []


def test_a_member_adds_a_passkey_and_logs_in_with_it_without_a_password(browsing: Browsing):
    user = UserFactory(email="maja@example.org", full_name="Maja Medlem")
    page = browsing.page(user, viewport=DESKTOP)
    console = watch_console(page)
    authenticator = Authenticator_(page)

    page.goto("/accounts/2fa/")
    page.get_by_role("link", name="Add a passkey").first.click()
    # Changing how one logs in asks for the password again first (allauth's reauthentication).
    page.get_by_label(label("Password")).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Add a passkey")).to_be_visible()
    expect(page.get_by_label("Also log in with it without a password")).to_be_checked()
    browsing.screenshot(page, "add-a-passkey")
    page.get_by_role("button", name="Add the passkey").click()
    expect(page.locator(".messages")).to_contain_text("Passkey added.")
    assert len(passkeys_of(user)) == 1
    assert len(authenticator.credentials()) == 1

    page.goto("/accounts/2fa/webauthn/")
    expect(page.get_by_text("Logs in without a password")).to_be_visible()
    browsing.screenshot(page, "your-passkeys")

    page.goto("/accounts/logout/")
    page.get_by_role("main").get_by_role("button", name="Log out").click()
    assert not is_signed_in(page)

    page.goto("/accounts/login/")
    browsing.screenshot(page, "login")
    page.get_by_role("button", name="Log in with a passkey").click()
    page.wait_for_url(f"{browsing.base_url}/")

    assert is_signed_in(page)
    (passkey,) = passkeys_of(user)
    assert passkey.last_used_at is not None
    browsing.assert_no_script_errors()
    assert console == []


def test_a_police_officer_whose_second_factor_is_a_passkey_reaches_the_composer(
    browsing: Browsing, municipality
):
    officer = official(
        OfficialKind.POLICE, municipality, mfa=False, email="polis@example.org", language="en"
    )
    passkey = SoftPasskey(officer, rp_id="localhost", origin=browsing.base_url)
    passkey.store(officer)
    page = browsing.page(viewport=DESKTOP)
    console = watch_console(page)
    Authenticator_(page).add(passkey)

    page.goto("/accounts/login/")
    page.get_by_label(label("E-mail")).fill(officer.email)
    page.get_by_label(label("Password")).fill(DEFAULT_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    # Only what the officer has is offered: the passkey, no code field.
    expect(page.get_by_label(label("Code"))).to_have_count(0)
    browsing.screenshot(page, "second-step")
    page.get_by_role("button", name="Use your passkey").click()
    page.wait_for_url(f"{browsing.base_url}/")

    page.goto("/notifications/alerts/new/")
    expect(page.get_by_role("heading", name="What is the alert?")).to_be_visible()
    (stored,) = passkeys_of(officer)
    assert stored.last_used_at is not None
    browsing.assert_no_script_errors()
    assert console == []


def test_a_cancelled_passkey_is_said_on_the_page(browsing: Browsing):
    """No authenticator at all (the person cancelled, no phone at hand): the page says so."""
    page = browsing.page()
    page.goto("/accounts/login/")
    # A phone whose owner does not confirm it is them: the browser refuses the login.
    Authenticator_(page, isUserVerified=False)

    page.get_by_role("button", name="Log in with a passkey").click()

    expect(page.get_by_role("alert")).to_contain_text("No passkey was used.")
    browsing.screenshot(page, "no-passkey")
    browsing.assert_no_script_errors()


def confirm_with_password(page: Page) -> None:
    """allauth's "Confirm Access", where a change to how one logs in starts."""
    if "/reauthenticate/" in page.url:
        page.get_by_label(label("Password")).fill(DEFAULT_PASSWORD)
        page.get_by_role("button", name="Confirm").click()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_the_passkey_pages_fit_a_phone_and_a_desktop(browsing: Browsing, municipality, viewport):
    """Screenshots of every passkey page, none wider than the screen."""
    officer = official(
        OfficialKind.POLICE, municipality, mfa=False, email="polis@example.org", language="en"
    )
    stored = SoftPasskey(officer, rp_id="localhost", origin=browsing.base_url).store(officer)
    width = viewport["width"]
    visits = [
        (None, "/accounts/login/", "login"),
        (None, "/accounts/signup/", "signup"),
        (None, "/accounts/signup/passkey/", "signup-by-passkey"),
        (officer, "/accounts/2fa/", "two-factor"),
        (officer, "/accounts/2fa/webauthn/", "your-passkeys"),
        (officer, "/accounts/2fa/webauthn/add/", "add-a-passkey"),
        (officer, f"/accounts/2fa/webauthn/keys/{stored.pk}/edit/", "rename"),
        (officer, f"/accounts/2fa/webauthn/keys/{stored.pk}/remove/", "remove"),
        (officer, "/accounts/2fa/totp/activate/", "authenticator-app"),
    ]
    pages: dict[object, Page] = {}
    for user, url, step in visits:
        page = pages.get(user) or pages.setdefault(user, browsing.page(user, viewport=viewport))
        page.goto(url)
        confirm_with_password(page)
        assert urlsplit(page.url).path == url
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        browsing.screenshot(page, f"{step}-{width}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), step

    second_step = browsing.page(viewport=viewport)
    second_step.goto("/accounts/login/")
    second_step.get_by_label(label("E-mail")).fill(officer.email)
    second_step.get_by_label(label("Password")).fill(DEFAULT_PASSWORD)
    second_step.get_by_role("main").get_by_role("button", name="Log in", exact=True).click()
    expect(second_step.get_by_role("button", name="Use your passkey")).to_be_visible()
    browsing.screenshot(second_step, f"second-step-{width}")
    browsing.assert_no_script_errors()
