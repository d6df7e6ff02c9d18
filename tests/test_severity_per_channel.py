"""A member chooses, per channel, how urgent a message must be to come that way ("SMS only
when it is urgent"); police alerts reach the inbox whatever they chose. The preview and
the dispatch agree, since both plan with notifications.alerts.planning.plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from notifications.alerts import services as alert_services
from notifications.alerts.models import Delivery, Kind
from notifications.alerts.planning import preview
from notifications.preferences.models import MemberSettings
from notifications.sms import backends as sms_backends
from tests import push_service
from tests.conftest import client_for
from tests.factories import alert_for, member_of, prefer, verified_phone

pytestmark = pytest.mark.django_db


@pytest.fixture
def texter(area):
    """Takes police alerts and warnings by SMS too, but texts only when urgent."""
    user = verified_phone(member_of(area), sms_floor="urgent", quiet_hours_enabled=False)
    for kind in (Kind.POLICE_ALERT, Kind.WARNING):
        prefer(user, kind, email=True, sms=True, inapp=True)
    return user


def send(alert, actor, capture):
    with capture(execute=True):
        alert_services.send_alert(actor=actor, alert=alert)
    return {(d.channel, d.status, d.reason) for d in Delivery.objects.filter(alert=alert)}


def test_a_normal_alert_comes_by_e_mail_and_in_the_app_but_not_by_sms(
    texter, police, area, django_capture_on_commit_callbacks
):
    alert = alert_for(police, area, severity="normal")

    planned = preview(alert, dt.datetime.now(tz=dt.UTC))
    outcome = send(alert, police, django_capture_on_commit_callbacks)

    assert planned.channels["sms"] == {"below_severity": 1}
    assert outcome == {
        ("email", "sent", ""),
        ("sms", "skipped", "below_severity"),
        ("inapp", "sent", ""),
    }
    assert sms_backends.outbox == []


def test_the_composer_counts_those_who_want_only_more_urgent_messages(texter, police, area):
    alert = alert_for(police, area, severity="normal")

    page = client_for(police).get(reverse("notifications:alert_detail", args=[alert.pk]))

    row = page.content.decode().split("Only more urgent messages</th>")[1].split("</tr>")[0]
    assert row.count('<td role="cell" class="number"') == 4  # e-mail, SMS, in the app, push
    assert '<td role="cell" class="number" data-label="SMS">1</td>' in row


def test_an_urgent_alert_comes_by_sms_too(texter, police, area, django_capture_on_commit_callbacks):
    alert = alert_for(police, area, severity="urgent")

    planned = preview(alert, dt.datetime.now(tz=dt.UTC))
    send(alert, police, django_capture_on_commit_callbacks)

    assert planned.channels["sms"] == {"send": 1}
    assert [message.to for message in sms_backends.outbox] == [texter.phone]


def test_police_alerts_reach_the_inbox_whatever_the_floor(
    police, coordinator, area, django_capture_on_commit_callbacks
):
    member = member_of(area)
    MemberSettings.objects.create(user=member, inapp_floor="urgent", email_floor="urgent")

    police_alert = send(
        alert_for(police, area, severity="info"), police, django_capture_on_commit_callbacks
    )
    tip = send(
        alert_for(coordinator, area, kind=Kind.INFORMATION, severity="normal"),
        coordinator,
        django_capture_on_commit_callbacks,
    )

    assert police_alert == {
        ("email", "skipped", "below_severity"),
        ("sms", "skipped", "opted_out"),
        ("inapp", "sent", ""),
    }
    assert tip == {
        ("email", "skipped", "below_severity"),
        ("sms", "skipped", "opted_out"),
        ("inapp", "skipped", "below_severity"),
    }


def test_the_member_sets_the_floors_on_the_preferences_page(member, settings):
    push_service.configure(settings)
    data = {"quiet_hours_enabled": "on", "quiet_hours_start": "22:00", "quiet_hours_end": "07:00"}
    data |= {"email_floor": "info", "sms_floor": "urgent", "inapp_floor": "normal"}
    data["alert_language"] = "sv"
    data |= {"push_floor": "urgent"}

    response = client_for(member).post(reverse("notifications:preferences"), data)

    assert response.status_code == 302
    saved = MemberSettings.objects.get(user=member)
    assert (saved.email_floor, saved.sms_floor, saved.inapp_floor) == ("info", "urgent", "normal")
    assert saved.push_floor == "urgent"
    page = client_for(member).get(reverse("notifications:preferences")).content.decode()
    assert '<option value="urgent" selected>Only urgent</option>' in page


@pytest.mark.parametrize("value", ["", "critical", "URGENT", "urgent\n"])
def test_a_floor_that_is_not_a_choice_is_refused(member, value):
    data = {"quiet_hours_enabled": "on", "quiet_hours_start": "22:00", "quiet_hours_end": "07:00"}
    data |= {"email_floor": "info", "sms_floor": value, "inapp_floor": "info"}

    response = client_for(member).post(reverse("notifications:preferences"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["sms_floor"]
    assert not MemberSettings.objects.filter(user=member).exclude(sms_floor="info").exists()
