"""Passkeys without a browser: what counts as a second factor, and what must not happen.

A passkey (allauth's WebAuthn authenticator) is a second factor like an authenticator app:
an official whose only one is a passkey acts as an official, and loses the role with it.
Recovery codes alone are not a factor. The second login step offers what the person has.
The browser side (a virtual authenticator in Chromium) is tests/test_passkeys_browser.py;
here ``tests.passkeys.SoftPasskey`` plays the phone.
"""

from __future__ import annotations

import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.conftest import client_for
from tests.factories import DEFAULT_PASSWORD, UserFactory, official
from tests.passkeys import SoftPasskey, challenge_of, js_data, passkey_for
from watch import permissions
from watch.roles.models import OfficialKind

pytestmark = pytest.mark.django_db

SETUP = reverse("mfa_activate_totp")


@pytest.fixture
def officer(municipality) -> User:
    """A police officer whose only second factor is a passkey."""
    user = official(OfficialKind.POLICE, municipality, mfa=False, email="polis@example.org")
    passkey_for(user)
    return user


def passkey_json(passkey: SoftPasskey, challenge: str) -> str:
    """What webauthn.js posts: the browser's answer, as JSON."""
    return json.dumps(passkey.assertion(challenge))


def log_in(client: Client, user: User):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )


def test_a_passkey_is_an_officials_second_factor(officer, municipality):
    roles = permissions.roles_of(officer)

    assert roles.is_police
    assert not roles.official_needs_mfa
    assert permissions.can_administer_municipality(officer, municipality)
    assert client_for(officer).get(reverse("notifications:alert_create")).status_code == 200


def test_recovery_codes_alone_are_not_a_second_factor(municipality):
    user = official(OfficialKind.COORDINATOR, municipality, mfa=False)
    RecoveryCodes.activate(user)

    assert permissions.roles_of(user).official_needs_mfa
    assert client_for(user).get(reverse("watch:area_create"))["Location"] == SETUP


def test_without_the_passkey_the_official_is_sent_to_set_up_a_second_factor(officer):
    Authenticator.objects.filter(user=officer).delete()

    response = client_for(officer).get(reverse("notifications:alert_create"))

    assert response.status_code == 302
    assert response["Location"] == SETUP


def test_the_setup_page_offers_a_passkey_instead_of_an_app(municipality):
    newcomer = official(OfficialKind.POLICE, municipality, mfa=False)
    client = client_for(newcomer)
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})

    html = client.get(SETUP).content.decode()

    assert f'href="{reverse("mfa_add_webauthn")}"' in html


def test_an_area_contact_with_a_passkey_is_not_reminded(area_contact):
    offer = "protect your account with a second step at login"
    client = client_for(area_contact)
    assert offer in client.get(reverse("watch:home")).content.decode()

    passkey_for(area_contact)

    assert offer not in client.get(reverse("watch:home")).content.decode()


def test_login_asks_a_passkey_only_official_for_the_passkey_and_no_code(officer):
    client = Client()

    response = log_in(client, officer)

    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("mfa_authenticate"))
    html = page.content.decode()
    assert 'id="mfa_webauthn_authenticate"' in html
    assert 'name="code"' not in html
    assert page.status_code == 200


def test_an_official_logs_in_with_password_and_passkey(officer):
    passkey = SoftPasskey(officer)
    passkey.store(officer, name="Andra telefonen")
    client = Client()
    log_in(client, officer)
    options = js_data(client.get(reverse("mfa_authenticate")).content.decode())

    response = client.post(
        reverse("mfa_authenticate"),
        {"credential": passkey_json(passkey, challenge_of(options["request_options"]))},
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)
    assert client.get(reverse("notifications:alert_create")).status_code == 200


def test_someone_elses_passkey_is_not_a_second_factor(officer):
    stranger = UserFactory(email="annan@example.org")
    theirs = passkey_for(stranger)
    client = Client()
    log_in(client, officer)
    options = js_data(client.get(reverse("mfa_authenticate")).content.decode())

    response = client.post(
        reverse("mfa_authenticate"),
        {"credential": passkey_json(theirs, challenge_of(options["request_options"]))},
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_passkey_logs_in_without_a_password():
    user = UserFactory(email="maja@example.org")
    passkey = passkey_for(user)
    client = Client()
    options = client.get(reverse("mfa_login_webauthn"), HTTP_ACCEPT="application/json").json()

    response = client.post(
        reverse("mfa_login_webauthn"),
        {"credential": passkey_json(passkey, challenge_of(options["request_options"]))},
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_passkey_login_is_rate_limited():
    client = Client()
    url = reverse("mfa_login_webauthn")

    # Each try posts a credential (here a wrong one); asking for the options is free.
    answers = [client.post(url, {"credential": "{}"}).status_code for _ in range(11)]

    assert answers == [302] * 10 + [429]
    assert "_auth_user_id" not in client.session


def test_signing_up_with_a_passkey_makes_no_password_and_confirms_the_address_first():
    client = Client()

    response = client.post(
        reverse("account_signup_by_passkey"),
        {"email": "nova@example.org", "full_name": "Nova Granne"},
    )

    assert response.status_code == 302
    user = User.objects.get(email="nova@example.org")
    assert not user.has_usable_password()
    assert "_auth_user_id" not in client.session  # not before the address is confirmed
    assert [message.to for message in mail.outbox] == [["nova@example.org"]]
    assert not Authenticator.objects.filter(user=user).exists()


def test_making_the_passkey_needs_a_sign_up_underway(member):
    assert Client().get(reverse("mfa_signup_webauthn"))["Location"] == reverse("account_signup")
    assert client_for(member).get(reverse("mfa_signup_webauthn")).status_code == 302
    assert not Authenticator.objects.exists()


def test_someone_without_a_password_confirms_deleting_their_account_with_the_passkey():
    user = UserFactory(email="nova@example.org")
    user.set_unusable_password()
    user.save()
    passkey = passkey_for(user)
    client = client_for(user)
    url = reverse("accounts:delete_account")
    assert 'name="password"' not in client.get(url).content.decode()

    response = client.post(url)

    assert response.status_code == 302
    # No password to type: allauth asks for the passkey.
    assert response["Location"].startswith(reverse("mfa_reauthenticate_webauthn"))
    user.refresh_from_db()
    assert user.is_active
    page = client.get(reverse("mfa_reauthenticate_webauthn") + f"?next={url}")
    options = js_data(page.content.decode())
    confirmed = client.post(
        reverse("mfa_reauthenticate_webauthn") + f"?next={url}",
        {"credential": passkey_json(passkey, challenge_of(options["request_options"]))},
        follow=True,
    )
    assert confirmed.status_code == 200
    user.refresh_from_db()
    assert not user.is_active
    assert not Authenticator.objects.filter(user=user).exists()
