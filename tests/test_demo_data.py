import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from notifications.alerts.models import Alert, AlertStatus, Channel, Delivery
from notifications.tips.models import Tip
from watch.areas.models import Municipality
from watch.community.models import AwayNotice, Meeting, Observation
from watch.demo import DEMO_PASSWORD
from watch.municipality_page.models import MunicipalityContact

pytestmark = pytest.mark.django_db


def snapshot() -> str:
    """Every row of every project model, serialised: equal snapshots mean nothing changed."""
    models = [
        model
        for app in ("accounts", "watch", "notifications", "account")
        for model in apps.get_app_config(app).get_models()
    ]
    return serializers.serialize(
        "json", [obj for model in models for obj in model.objects.order_by("pk")]
    )


def test_demo_loads_the_three_municipalities_with_their_contact_roles():
    call_command("load_demo", stdout=None)

    assert dict(Municipality.objects.values_list("code", "name")) == {
        "1493": "Mariestad",
        "1473": "Töreboda",
        "1447": "Gullspång",
    }
    for municipality in Municipality.objects.all():
        roles = set(municipality.contacts.values_list("role", flat=True))
        assert roles == {"kommunpolis", "sakerhetssamordnare"}
    assert all(c.email.endswith("@example.com") for c in MunicipalityContact.objects.all())


def test_demo_prints_the_logins(capsys):
    call_command("load_demo")

    out = capsys.readouterr().out
    assert "grannsamverkan-demo" in out
    for email in ("admin@example.com", "samordnare@example.com", "polis@example.com"):
        assert email in out


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo")
    first = snapshot()

    call_command("load_demo")

    assert snapshot() == first


def test_demo_has_sent_alerts_tips_a_meeting_an_away_notice_and_an_observation(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=None)

    member = User.objects.get(email="medlem@example.com")
    assert Tip.objects.count() == 4
    # Three alerts and tips to Mariestad, and the meeting invitation to Marieholm.
    assert Alert.objects.filter(status=AlertStatus.SENT).count() == 4
    assert Delivery.objects.filter(user=member, channel=Channel.INAPP).count() == 4
    assert Meeting.objects.count() == AwayNotice.objects.count() == Observation.objects.count() == 1


def test_the_demo_officials_sign_in_with_the_printed_two_factor_code(client, capsys):
    call_command("load_demo")
    call_command("demo_code")
    code = capsys.readouterr().out.strip().splitlines()[-1]

    client.post(reverse("account_login"), {"login": "polis@example.com", "password": DEMO_PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email="polis@example.com").pk)
