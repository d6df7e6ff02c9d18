"""allauth's pages render inside the site's own look (templates/allauth/).

Every page is checked for the site's header and footer, a single <h1>, labels tied to
every visible control, aria-describedby pointing at elements that exist, and no inline
styles or inline (executable) scripts.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.mfa import activate_totp, random_secret
from accounts.models import User
from tests.factories import DEFAULT_PASSWORD
from tests.passkeys import SoftPasskey

pytestmark = pytest.mark.django_db

FOOTER = "This is not an emergency service."


class Page(HTMLParser):
    """The parts of a page the checks below look at."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str | None]] = []
        self.described_by: list[str] = []
        self.h1_count = 0
        self.inline_styles: list[str] = []
        self.inline_scripts = 0
        self.classes: list[str] = []
        self.title = ""
        self._in_title = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"])
        self.classes += (a.get("class") or "").split()
        if "style" in a or any(name.startswith("on") for name in a):
            self.inline_styles.append(tag)
        if tag == "h1":
            self.h1_count += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        elif tag in {"input", "select", "textarea"} and a.get("type") != "hidden":
            self.controls.append(a)
        elif tag == "script" and "src" not in a and a.get("type") != "application/json":
            self.inline_scripts += 1
        self.described_by += (a.get("aria-describedby") or "").split()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def assert_site_page(response) -> Page:
    """The response is a page of ours: base.html around allauth's content."""
    assert response.status_code == 200
    html = response.content.decode()
    page = Page(html)
    assert 'class="site-header"' in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert 'class="site-footer"' in html
    assert FOOTER in html
    assert 'href="tel:112"' in html
    assert page.h1_count == 1
    assert " ".join(page.title.split()).endswith(f" · {settings.SITE_NAME}")
    for control in page.controls:
        assert control.get("id") in page.label_for, f"no <label> for {control}"
    for target in page.described_by:
        assert target in page.ids, f"aria-describedby points at missing #{target}"
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    assert page.inline_styles == []
    assert page.inline_scripts == 0
    return page


@pytest.fixture
def english_member(member) -> User:
    # The factory's members read Swedish; the footer text checked here is English.
    member.language = "en"
    member.save(update_fields=["language"])
    return member


@pytest.fixture
def client_(english_member, member_client) -> Client:
    return member_client


def reauthenticate(client: Client, next_url: str) -> None:
    response = client.post(
        reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response.url == next_url


def enable_mfa(user: User) -> None:
    activate_totp(user, random_secret())
    RecoveryCodes.activate(user)


@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key_done",
        "account_email_verification_sent",
        "account_signup_by_passkey",
    ],
)
def test_entrance_pages_render_in_the_site_look(anonymous_client, url_name):
    assert_site_page(anonymous_client.get(reverse(url_name)))


@pytest.mark.parametrize(
    "url_name",
    ["mfa_list_webauthn", "mfa_add_webauthn", "mfa_edit_webauthn", "mfa_remove_webauthn"],
)
def test_passkey_pages_render_in_the_site_look(client_, english_member, url_name):
    passkey = SoftPasskey(english_member).store(english_member)
    args = [passkey.pk] if url_name in ("mfa_edit_webauthn", "mfa_remove_webauthn") else []
    url = reverse(url_name, args=args)
    reauthenticate(client_, url)

    assert_site_page(client_.get(url))


def test_the_second_step_with_a_passkey_renders_in_the_site_look(anonymous_client, english_member):
    SoftPasskey(english_member).store(english_member)
    anonymous_client.post(
        reverse("account_login"), {"login": english_member.email, "password": DEFAULT_PASSWORD}
    )

    assert_site_page(anonymous_client.get(reverse("mfa_authenticate")))


@pytest.mark.parametrize(
    "url_name", ["account_change_password", "account_email", "mfa_index", "account_logout"]
)
def test_manage_pages_render_in_the_site_look(client_, url_name):
    assert_site_page(client_.get(reverse(url_name)))


def test_login_form_uses_the_site_form_markup(anonymous_client):
    page = assert_site_page(anonymous_client.get(reverse("account_login")))
    html = anonymous_client.get(reverse("account_login")).content.decode()

    assert '<form class="stacked" method="post" action="/accounts/login/"' in html
    assert {"field", "actions", "button"} <= set(page.classes)
    assert '<label for="id_login">' in html
    assert '<label for="id_password">' in html
    # The "Forgot your password?" link is the password's help text, tied to the input.
    assert 'aria-describedby="id_password_helptext"' in html
    assert re.search(r'<div class="help" id="id_password_helptext"><a href="[^"]+/reset/', html)


def test_wrong_password_is_reported_in_the_site_error_list(anonymous_client, english_member):
    response = anonymous_client.post(
        reverse("account_login"), {"login": english_member.email, "password": "wrong-password"}
    )

    assert_site_page(response)
    html = response.content.decode()
    errors = re.search(
        r'<div class="banner banner-error" role="alert">\s*'
        r'<ul class="errorlist nonfield" id="form_errors"><li>([^<]+)</li></ul>',
        html,
    )
    assert errors is not None
    assert errors.group(1) == "The email address and/or password you specified are not correct."
    # The e-mail address typed is kept.
    assert f'value="{english_member.email}"' in html


def test_field_errors_are_listed_under_the_field_and_announced(anonymous_client):
    response = anonymous_client.post(
        reverse("account_signup"),
        {"email": "not-an-address", "full_name": "", "password1": "123", "password2": "123"},
    )

    assert_site_page(response)
    html = response.content.decode()
    assert '<div class="field has-error">' in html
    assert re.search(
        r'<input type="email" name="email"[^>]*'
        r'aria-invalid="true" aria-describedby="id_email_error"',
        html,
    )
    assert '<ul class="errorlist" id="id_email_error"><li>Enter a valid email address.</li>' in html
    assert '<ul class="errorlist" id="id_full_name_error"><li>This field is required.</li>' in html
    # Password rules (a list) sit in a <div>, not a <p>, and are described along with errors.
    assert 'aria-describedby="id_password1_helptext id_password1_error"' in html
    assert '<div class="help" id="id_password1_helptext"><ul>' in html


def test_password_reset_from_the_e_mailed_link_renders_in_the_site_look(
    anonymous_client, english_member
):
    anonymous_client.post(reverse("account_reset_password"), {"email": english_member.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    assert link is not None

    response = anonymous_client.get(link.group(1), follow=True)

    assert_site_page(response)
    assert 'autocomplete="new-password"' in response.content.decode()
    assert_site_page(anonymous_client.get("/accounts/password/reset/key/0-invalid/"))


def test_invalid_e_mail_confirmation_link_renders_in_the_site_look(anonymous_client):
    assert_site_page(anonymous_client.get(reverse("account_confirm_email", args=["invalid"])))


def test_e_mail_addresses_are_a_labelled_group_with_site_buttons(client_, english_member):
    page = assert_site_page(client_.get(reverse("account_email")))
    html = client_.get(reverse("account_email")).content.decode()

    assert '<fieldset class="choices">' in html
    assert re.search(r'<input type="radio" id="email_radio_0" name="email"', html)
    assert english_member.email in html
    assert '<button class="button danger" type="submit" name="action_remove">' in html
    assert "badge" in page.classes


def test_activating_totp_asks_to_reauthenticate_in_the_site_look(client_):
    activate_url = reverse("mfa_activate_totp")

    response = client_.get(activate_url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert_site_page(client_.get(response.url))

    reauthenticate(client_, activate_url)
    response = client_.get(activate_url)

    assert_site_page(response)
    html = response.content.decode()
    assert '<img class="qr-code" src="data:image/svg+xml;base64,' in html
    # The secret is shown readonly (focusable, copyable), not disabled.
    assert re.search(r'<input type="text" id="authenticator_secret" readonly', html)
    assert '<label for="id_code">' in html


def test_wrong_reauthentication_password_is_listed_in_the_field(client_):
    response = client_.post(reverse("account_reauthenticate"), {"password": "wrong"})

    assert_site_page(response)
    assert '<ul class="errorlist" id="id_password_error">' in response.content.decode()


def test_mfa_pages_of_a_member_with_two_factor_render_in_the_site_look(client_, english_member):
    enable_mfa(english_member)

    page = assert_site_page(client_.get(reverse("mfa_index")))
    assert page.classes.count("card") == 3  # passkeys, authenticator app, recovery codes

    codes_url = reverse("mfa_view_recovery_codes")
    reauthenticate(client_, codes_url)
    response = client_.get(codes_url)
    assert_site_page(response)
    label = re.search(
        r'<label for="recovery_codes">\s*Unused codes\s*</label>', response.content.decode()
    )
    assert label is not None

    assert_site_page(client_.get(reverse("mfa_generate_recovery_codes")))
    assert_site_page(client_.get(reverse("mfa_deactivate_totp")))


def test_two_factor_login_step_renders_in_the_site_look(anonymous_client, english_member):
    enable_mfa(english_member)

    response = anonymous_client.post(
        reverse("account_login"), {"login": english_member.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")

    assert_site_page(anonymous_client.get(response.url))
    response = anonymous_client.post(response.url, {"code": "000000"})
    assert_site_page(response)
    assert '<ul class="errorlist" id="id_code_error"><li>Incorrect code.</li>' in (
        response.content.decode()
    )
