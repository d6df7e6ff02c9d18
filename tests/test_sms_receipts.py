"""Handset receipts: 46elks reports whether a text reached the member's phone, at the
signed URL each message carries (notifications.channels.sms). Delivered and failed are
recorded once; a forged or altered URL, a report that is not the provider's, a repeated
one and the wrong method change nothing. The sender's report says how many texts reached
a phone. The 46elks client's side (``whendelivered``): tests/test_sms_elks.py."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from notifications.alerts import services as alert_services
from notifications.alerts.models import Alert, Delivery, Kind
from notifications.channels import sms as sms_channel
from notifications.sms import backends as sms_backends
from tests.conftest import client_for
from tests.factories import alert_for, member_of, prefer, verified_phone

pytestmark = pytest.mark.django_db

DELIVERED = {"id": "s70df59406a1b4643b96f3f91e0bfb7b0", "status": "delivered",
             "delivered": "2026-12-04 07:15:02.393000"}  # fmt: skip


@pytest.fixture(autouse=True)
def _an_hour_after_the_report():
    with time_machine.travel(dt.datetime(2026, 12, 4, 8, 15, tzinfo=dt.UTC)):
        yield


@pytest.fixture
def texted(police, area, django_capture_on_commit_callbacks) -> tuple[Alert, Delivery, str]:
    """An alert sent to one member by SMS, and the receipt URL its text carried."""
    texter = verified_phone(member_of(area))
    prefer(texter, Kind.POLICE_ALERT, email=False, sms=True, inapp=True)
    alert = alert_for(police, area, severity="urgent")
    with django_capture_on_commit_callbacks(execute=True):
        alert_services.send_alert(actor=police, alert=alert)
    [message] = sms_backends.outbox
    assert message.receipt_url is not None
    return (
        alert,
        Delivery.objects.get(alert=alert, channel="sms"),
        urlsplit(message.receipt_url).path,
    )


def test_a_delivered_report_records_when_the_text_reached_the_phone(texted, police):
    alert, delivery, path = texted

    response = Client().post(path, DELIVERED)

    assert response.status_code == 204
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert delivery.delivered_at == dt.datetime(2026, 12, 4, 7, 15, 2, 393000, tzinfo=dt.UTC)
    report = client_for(police).get(reverse("notifications:alert_detail", args=[alert.pk]))
    assert "Delivered to the phone: 1 of 1 text message sent" in report.content.decode()


def test_a_failed_report_marks_the_text_failed_with_the_reason(texted, police):
    alert, delivery, path = texted

    response = Client().post(path, {"id": "s1", "status": "failed"})

    assert response.status_code == 204
    delivery.refresh_from_db()
    assert (delivery.status, delivery.delivered_at) == ("failed", None)
    assert delivery.last_error == "The SMS provider reports that the text did not reach the phone."
    report = client_for(police).get(reverse("notifications:alert_detail", args=[alert.pk]))
    assert "did not reach the phone" in report.content.decode()


def test_a_sent_report_changes_nothing(texted):
    _alert, delivery, path = texted

    assert Client().post(path, {"id": "s1", "status": "sent"}).status_code == 204

    assert Delivery.objects.get(pk=delivery.pk).delivered_at is None


def test_a_repeated_report_is_answered_and_changes_nothing(texted):
    _alert, delivery, path = texted
    Client().post(path, DELIVERED)
    first = Delivery.objects.get(pk=delivery.pk)

    again = Client().post(path, {**DELIVERED, "delivered": "2026-12-04 09:00:00"})
    failed_after = Client().post(path, {"id": "s1", "status": "failed"})

    assert (again.status_code, failed_after.status_code) == (204, 204)
    last = Delivery.objects.get(pk=delivery.pk)
    assert (last.status, last.delivered_at) == ("sent", first.delivered_at)


def test_a_report_before_the_text_is_recorded_as_sent(texted):
    _alert, delivery, path = texted
    Delivery.objects.filter(pk=delivery.pk).update(status="sending")

    failed = Client().post(path, {"id": "s1", "status": "failed"})
    delivered = Client().post(path, DELIVERED)

    # "failed" would be overwritten by the worker's "sent": 46elks is asked to try again.
    assert failed.status_code == 409
    assert delivered.status_code == 204
    assert Delivery.objects.get(pk=delivery.pk).delivered_at is not None


@pytest.mark.parametrize(
    "fields",
    [
        {"id": "s1", "status": "read"},
        {"id": "s1"},
        {"status": "delivered", "delivered": "2026-12-04 07:15:02"},
        {"id": "s" * 65, "status": "failed"},
        {"id": "s1", "status": "delivered"},
        {"id": "s1", "status": "delivered", "delivered": "igår"},
        {"id": "s1", "status": "delivered", "delivered": "2026-13-04 07:15:02"},
    ],
    ids=["unknown status", "no status", "no id", "long id", "no time", "text time", "month 13"],
)
def test_what_is_not_a_46elks_report_is_refused(texted, fields):
    _alert, delivery, path = texted

    response = Client().post(path, fields)

    assert response.status_code == 400
    after = Delivery.objects.get(pk=delivery.pk)
    assert (after.status, after.delivered_at, after.last_error) == ("sent", None, "")


def test_a_forged_or_altered_url_is_refused(texted):
    _alert, delivery, path = texted
    token = path.rstrip("/").rsplit("/", 1)[1]
    other = str(delivery.pk + 1) + token[len(str(delivery.pk)) :]
    forged = [
        reverse("notifications:sms_receipt", args=[str(delivery.pk)]),
        reverse("notifications:sms_receipt", args=[other]),
        reverse(
            "notifications:sms_receipt", args=[token[:-1] + ("A" if token[-1] != "A" else "B")]
        ),
    ]

    answers = [Client().post(url, DELIVERED).status_code for url in forged]

    assert answers == [404, 404, 404]
    assert Delivery.objects.get(pk=delivery.pk).delivered_at is None


def test_a_report_about_what_is_not_a_text_changes_nothing(texted):
    alert, _delivery, _path = texted
    entry = Delivery.objects.get(alert=alert, channel="inapp")
    url = urlsplit(sms_channel.receipt_url(entry.pk) or "").path

    gone = urlsplit(sms_channel.receipt_url(999_999) or "").path

    assert Client().post(url, {"id": "s1", "status": "failed"}).status_code == 204
    assert Client().post(gone, DELIVERED).status_code == 204

    assert Delivery.objects.get(pk=entry.pk).status == "sent"


def test_the_wrong_method_is_refused(texted):
    _alert, delivery, path = texted

    assert Client().get(path, DELIVERED).status_code == 405
    assert Delivery.objects.get(pk=delivery.pk).delivered_at is None


def test_no_receipt_is_asked_for_when_turned_off(
    police, area, settings, django_capture_on_commit_callbacks
):
    settings.SMS_DELIVERY_RECEIPTS = False
    texter = verified_phone(member_of(area))
    prefer(texter, Kind.POLICE_ALERT, email=False, sms=True, inapp=True)
    with django_capture_on_commit_callbacks(execute=True):
        alert_services.send_alert(actor=police, alert=alert_for(police, area, severity="urgent"))

    assert [message.receipt_url for message in sms_backends.outbox] == [None]
