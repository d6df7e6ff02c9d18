"""Each e-mail's outcome is written before the next e-mail of the batch is sent.

So a worker that dies in the middle of a batch of 100 has recorded every message
that went, and the sweep sends again only those that had not gone. Here the
worker "dies" inside the mail backend; tests/test_faults_worker_killed.py kills
real workers with SIGKILL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from notifications.alerts import delivery as alert_delivery
from notifications.alerts import services as alert_services
from notifications.alerts.models import Channel, Delivery
from notifications.outbox import pipeline as outbox_pipeline
from notifications.outbox.models import DeliveryStatus
from tests.factories import alert_for, member_of

pytestmark = pytest.mark.django_db

# E-mail deliveries already recorded as sent, seen by the backend before each message.
recorded_before_each: list[int] = []
die_at_message: int | None = None


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the worker catches it."""


class WitnessBackend(EmailBackend):
    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        recorded_before_each.append(
            Delivery.objects.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENT).count()
        )
        if len(recorded_before_each) == die_at_message:
            raise WorkerKilled
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def witness(settings) -> Iterator[None]:
    global die_at_message
    settings.EMAIL_BACKEND = f"{__name__}.WitnessBackend"
    recorded_before_each.clear()
    die_at_message = None
    yield
    die_at_message = None


def send(alert, actor, capture) -> None:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        alert_services.send_alert(actor=actor, alert=alert)


def test_each_outcome_is_recorded_before_the_next_message(
    police, area, django_capture_on_commit_callbacks
):
    for _ in range(5):
        member_of(area)

    send(alert_for(police, area), police, django_capture_on_commit_callbacks)

    assert recorded_before_each == [0, 1, 2, 3, 4]
    assert len(mail.outbox) == 5


def test_after_a_death_mid_batch_only_the_messages_not_sent_go_again(
    police, area, django_capture_on_commit_callbacks
):
    global die_at_message
    members = [member_of(area) for _ in range(5)]
    die_at_message = 3

    with pytest.raises(WorkerKilled):
        send(alert_for(police, area), police, django_capture_on_commit_callbacks)

    emails = Delivery.objects.filter(channel=Channel.EMAIL).order_by("pk")
    assert [d.status for d in emails] == ["sent", "sent", "sending", "sending", "sending"]
    die_at_message = None
    with time_machine.travel(
        timezone.now() + outbox_pipeline.stale_claim() + dt.timedelta(minutes=1)
    ):
        assert alert_delivery.sweep()["delivery_released"] == 3

    assert set(emails.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(member.email for member in members)
