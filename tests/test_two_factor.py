"""Police and coordinators act only with two-factor authentication (TOTP).

Without an authenticator an official holds no powers: every official page and action sends
them to set one up, with a message, and changes nothing. Once it is set up — through
allauth's page, with a code from the authenticator app — the same requests work, and every
later login asks for a code after the password. (The permission matrix checks every URL
for such an official too: role ``coord_nomfa`` in tests/matrix.py.)
"""

from __future__ import annotations

import json

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.mfa import activate_totp, current_code, random_secret
from accounts.models import User
from notifications import permissions as alert_permissions
from notifications.alerts.models import Alert, AlertStatus, Delivery, TargetKind
from notifications.tips.models import Tip
from tests.conftest import client_for
from tests.factories import DEFAULT_PASSWORD, UserFactory, alert_for, official, square, with_mfa
from watch import permissions
from watch.areas.models import Municipality, WatchArea
from watch.audit.models import AuditEntry
from watch.roles.models import AreaContact, OfficialKind

pytestmark = pytest.mark.django_db

SET_UP_FIRST = "Set up two-factor authentication before you use your role as an official."


@pytest.fixture(params=[OfficialKind.POLICE, OfficialKind.COORDINATOR])
def newcomer(request, municipality, area, area_member) -> User:
    """A police officer or coordinator of A's municipality without an authenticator."""
    return official(request.param, municipality, mfa=False, email="ny@polisen.example.com")


def official_requests(user: User, municipality: Municipality, area: WatchArea) -> list[tuple]:
    """(method, url, data) for every official function, each valid for an official."""
    draft = alert_for(user, target_kind=TargetKind.MUNICIPALITIES)
    draft.target_municipalities.add(municipality)
    tip = Tip.objects.create(theme="Inbrott", title="Lås dörren", body="Även hemma.")
    neighbour = UserFactory(email="granne@example.org")
    area_form = {
        "municipality": municipality.pk,
        "name": "Sjöstaden",
        "status": "active",
        "boundary": json.dumps(square(13.83, 58.72)),
        "description": "",
        "start_meeting_date": "",
    }
    alert_form = {
        "kind": "police_alert",
        "severity": "normal",
        "title": "Bilinbrott",
        "body": "Flera bilar har brutits upp i natt.",
        "target_kind": "municipalities",
        "target_municipalities": [municipality.pk],
    }
    requests = [
        ("GET", reverse("watch:manage"), None),
        ("GET", reverse("watch:area_create"), None),
        ("POST", reverse("watch:area_create"), area_form),
        ("GET", reverse("watch:manage_area", args=[area.pk]), None),
        ("GET", reverse("watch:area_edit", args=[area.pk]), None),
        ("POST", reverse("watch:area_edit", args=[area.pk]), {**area_form, "name": "Nytt"}),
        ("GET", reverse("watch:area_contacts", args=[area.pk]), None),
        ("POST", reverse("watch:area_contacts", args=[area.pk]), {"email": neighbour.email}),
        ("GET", reverse("watch:members_csv", args=[area.pk]), None),
        ("GET", reverse("watch:interest_map"), None),
        ("GET", reverse("notifications:alert_list"), None),
        ("GET", reverse("notifications:alert_create"), None),
        ("POST", reverse("notifications:alert_create"), alert_form),
        ("GET", reverse("notifications:alert_detail", args=[draft.pk]), None),
        ("POST", reverse("notifications:alert_send", args=[draft.pk]), {}),
        ("GET", reverse("notifications:tip_list"), None),
        ("GET", reverse("notifications:tip_schedule", args=[tip.pk]), None),
    ]
    if user.official.kind == OfficialKind.COORDINATOR:
        tip_form = {"theme": "Klotter", "title": "Anmäl klotter", "body": "Ring 114 14."}
        requests.append(("POST", reverse("notifications:tip_list"), tip_form))
    return requests


def state() -> dict[str, object]:
    """Everything an official function could write or send."""
    return {
        "areas": list(WatchArea.objects.values_list("name", flat=True).order_by("pk")),
        "contacts": AreaContact.objects.count(),
        "alerts": list(Alert.objects.values_list("status", flat=True).order_by("pk")),
        "deliveries": Delivery.objects.count(),
        "tips": Tip.objects.count(),
        "audit": AuditEntry.objects.count(),
        "mail": len(mail.outbox),
    }


def send(client: Client, method: str, url: str, data: dict | None):
    return client.get(url) if method == "GET" else client.post(url, data)


def test_without_an_authenticator_every_official_function_sends_to_the_setup(
    newcomer, municipality, area, django_capture_on_commit_callbacks
):
    client = client_for(newcomer)
    requests = official_requests(newcomer, municipality, area)
    before = state()

    with django_capture_on_commit_callbacks(execute=True):
        for method, url, data in requests:
            response = send(client, method, url, data)

            assert (method, url, response.status_code) == (method, url, 302)
            assert response["Location"] == reverse("mfa_activate_totp"), url

    assert state() == before


def test_the_official_is_told_why(newcomer):
    response = client_for(newcomer).get(reverse("watch:area_create"), follow=True)

    assert response.status_code == 200
    assert SET_UP_FIRST in response.content.decode()


def test_without_an_authenticator_the_role_grants_nothing(newcomer, municipality, area):
    roles = permissions.roles_of(newcomer)

    assert roles.official_needs_mfa
    assert not roles.is_official
    assert roles.municipality_ids == frozenset()
    assert not permissions.can_administer_municipality(newcomer, municipality)
    assert not permissions.can_manage_area(newcomer, area)
    assert not alert_permissions.can_compose(newcomer)
    assert alert_permissions.allowed_kinds(newcomer) == []


def test_with_an_authenticator_the_same_requests_work(
    newcomer, municipality, area, django_capture_on_commit_callbacks
):
    with_mfa(newcomer)
    client = client_for(newcomer)
    requests = official_requests(newcomer, municipality, area)

    with django_capture_on_commit_callbacks(execute=True):
        for method, url, data in requests:
            response = send(client, method, url, data)

            expected = 200 if method == "GET" else 302
            assert (method, url, response.status_code) == (method, url, expected)
            assert response.get("Location") != reverse("mfa_activate_totp")

    assert WatchArea.objects.filter(name="Nytt").exists()  # edited; Sjöstaden created, renamed
    assert AreaContact.objects.filter(user__email="granne@example.org").exists()
    assert Alert.objects.filter(author=newcomer, status=AlertStatus.DRAFT).count() == 1
    assert Alert.objects.filter(author=newcomer).exclude(status=AlertStatus.DRAFT).exists()
    assert Delivery.objects.exists()


def log_in(client: Client, user: User):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )


def test_setting_up_totp_unlocks_the_role(newcomer):
    client = Client()
    assert log_in(client, newcomer)["Location"] == reverse("watch:home")
    assert client.get(reverse("watch:manage"))["Location"] == reverse("mfa_activate_totp")

    # allauth asks for the password again before it adds an authenticator.
    reauthenticate = client.get(reverse("mfa_activate_totp"))["Location"]
    assert reauthenticate.startswith(reverse("account_reauthenticate"))
    client.post(reauthenticate, {"password": DEFAULT_PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=newcomer).exists()

    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})

    assert Authenticator.objects.filter(user=newcomer, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("watch:area_create")).status_code == 200


@pytest.fixture
def officer_with_totp(municipality) -> tuple[User, str]:
    user = official(OfficialKind.POLICE, municipality, mfa=False, email="polis@example.com")
    secret = random_secret()
    activate_totp(user, secret)
    return user, secret


def test_login_asks_for_the_code_after_the_password(officer_with_totp):
    user, secret = officer_with_totp
    client = Client()

    response = log_in(client, user)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("watch:area_create"))["Location"].startswith(reverse("account_login"))

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("watch:area_create")).status_code == 200


def test_a_wrong_code_does_not_log_in(officer_with_totp):
    user, secret = officer_with_totp
    client = Client()
    log_in(client, user)
    wrong = f"{(int(current_code(secret)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_authenticate"), {"code": wrong})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_admin_login_cannot_skip_the_code(admin_user):
    """Django's own admin login checks the password only: it must hand over to allauth's."""
    client = Client()

    response = client.post(
        reverse("admin:login"),
        {"username": admin_user.email, "password": DEFAULT_PASSWORD, "next": "/admin/"},
    )

    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_admin_requires_a_second_factor(client):
    staff = UserFactory(email="ny.admin@example.org", is_staff=True, is_superuser=True)
    client.force_login(staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    with_mfa(staff)
    assert client.get(reverse("admin:index")).status_code == 200


def test_an_area_contact_is_offered_a_second_factor_until_they_have_one(area_contact):
    client = client_for(area_contact)
    offer = "protect your account with a second step at login"

    assert offer in client.get(reverse("watch:home")).content.decode()
    with_mfa(area_contact)
    assert offer not in client.get(reverse("watch:home")).content.decode()
