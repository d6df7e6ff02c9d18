"""The Send button (and an account e-mail) with the broker unreachable: recorded, not lost.

The dispatch task is queued after the commit; when that fails the alert is
already recorded (sending, with the time it was handed on), so the request
succeeds and the sweep dispatches the alert later. An account e-mail is recorded
(an OutboundEmail row) in the same way, and the sweep sends it. The live
versions, with a real Redis stopped, are tests/test_faults_redis_down.py and
tests/test_faults_redis_down_outbound.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from notifications import tasks
from notifications.alerts import delivery as alert_delivery
from notifications.alerts.models import AlertStatus, Delivery
from notifications.notices import services as notice_services
from notifications.notices.models import OutboundEmail
from notifications.outbox import pipeline as outbox_pipeline
from notifications.outbox.models import DeliveryStatus
from tests.conftest import client_for
from tests.factories import alert_for, member_of

pytestmark = pytest.mark.django_db

REFUSED = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def broker_down(*args: object, **kwargs: object) -> None:
    raise REFUSED


def test_an_alert_sent_while_the_broker_is_down_is_kept_and_the_sweep_sends_it(
    police, area, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    member = member_of(area)
    alert = alert_for(police, area)
    monkeypatch.setattr(tasks.dispatch_alert, "apply_async", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(police).post(
            reverse("notifications:alert_send", args=[alert.pk]), follow=True
        )

    assert response.status_code == 200
    assert "The alert is being sent." in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.SENDING
    assert alert.dispatched_at is not None
    assert not Delivery.objects.exists()
    assert "Could not queue notifications.tasks.dispatch_alert" in caplog.text

    monkeypatch.undo()  # the broker is back
    assert (
        alert_delivery.sweep()["redispatched"] == 0
    )  # not yet overdue: its task may be on its way
    with (
        time_machine.travel(
            timezone.now() + outbox_pipeline.stale_claim() + dt.timedelta(seconds=1)
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert alert_delivery.sweep()["redispatched"] == 1

    alert.refresh_from_db()
    assert alert.status == AlertStatus.SENT
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_an_account_e_mail_queued_while_the_broker_is_down_is_kept_and_the_sweep_sends_it(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(tasks.send_outbound_emails, "apply_async", broker_down)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notice_services.notify_addresses(
            addresses=["a@example.org"],
            language="en",
            template="watch/request_declined",
            context={"area": "Marieholm", "reason": ""},
        )

    # The decision it reports stands, and so does the message: recorded, not yet sent.
    assert "Could not queue notifications.tasks.send_outbound_emails" in caplog.text
    assert mail.outbox == []
    assert OutboundEmail.objects.get().status == DeliveryStatus.QUEUED

    monkeypatch.undo()  # the broker is back
    assert alert_delivery.sweep()["outboundemail_queued"] == 0  # its task may still be on its way
    with time_machine.travel(timezone.now() + outbox_pipeline.LOST_SEND + dt.timedelta(seconds=1)):
        assert alert_delivery.sweep()["outboundemail_queued"] == 1
        assert alert_delivery.sweep()["outboundemail_queued"] == 0

    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert OutboundEmail.objects.get().status == DeliveryStatus.SENT
