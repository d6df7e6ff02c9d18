"""Account notices go through an outbox: recorded with the change, claimed, sent, swept.

A notice (a join decision, an appointment, an invitation) is an ``OutboundEmail``
row written in the transaction of the change it reports, so a rolled-back change
leaves none and a committed one always has its row, whether or not its send task
reaches the broker. The send task claims rows before sending, so a redelivered
task sends nothing twice. Send outcomes on a real SMTP server are in
test_templated_email_refusals.py; the live Redis outage in
test_faults_redis_down_outbound.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications import tasks
from notifications.alerts import delivery as alert_delivery
from notifications.notices import services as notice_services
from notifications.notices.models import OutboundEmail
from notifications.outbox import pipeline as outbox_pipeline
from notifications.outbox.models import DeliveryStatus
from tests.factories import UserFactory
from watch.households.invitations import invite_to_area
from watch.roles.services import appoint_contact

pytestmark = pytest.mark.django_db

DECLINED = {"template": "watch/request_declined", "context": {"area": "Marieholm", "reason": ""}}


def test_a_change_records_its_notice_in_its_transaction_and_sends_it_after_commit(
    area, coordinator, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        appoint_contact(actor=coordinator, area=area, email=member.email, is_main=False)

    notice = OutboundEmail.objects.get()
    assert (notice.to, notice.user, notice.template) == (
        member.email,
        member,
        "watch/contact_appointed",
    )
    assert notice.context == {"area": area.name, "area_id": area.pk}
    assert notice.status == DeliveryStatus.QUEUED
    assert mail.outbox == []

    for callback in callbacks:
        callback()

    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error) == (DeliveryStatus.SENT, 1, "")
    assert notice.sent_at is not None
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert mail.outbox[0].extra_headers["Message-ID"] == (
        f"<outbound-{notice.pk}@grannsamverkan.invalid>"
    )


def a_change_that_fails(member: User) -> None:
    with transaction.atomic():
        notice_services.notify_users(users=[member], **DECLINED)
        raise RuntimeError("the change failed after its notice was recorded")


def test_a_rolled_back_change_records_and_sends_nothing(member, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        a_change_that_fails(member)

    assert not OutboundEmail.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


def test_an_invitation_to_an_address_is_recorded_with_its_audit_entry(
    area, area_contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite_to_area(actor=area_contact, area=area, email="Ny.Granne@example.org")

    notice = OutboundEmail.objects.get()
    assert (notice.to, notice.user, notice.language) == (
        "ny.granne@example.org",
        None,
        area_contact.language,
    )
    assert notice.status == DeliveryStatus.SENT
    assert mail.outbox[0].to == ["ny.granne@example.org"]


def test_each_recipient_gets_the_notice_in_their_own_language(
    django_capture_on_commit_callbacks,
):
    swede = UserFactory(language="sv")
    english = UserFactory(language="en")

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notice_services.notify_users(users=[swede, english], **DECLINED)

    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        swede.email: "Din ansökan om medlemskap i Marieholm",
        english.email: "Your request to join Marieholm",
    }


def test_a_claim_is_taken_once_and_a_redelivered_task_sends_nothing_twice(
    member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(), transaction.atomic():
        notice_services.notify_users(users=[member], **DECLINED)
    notice = OutboundEmail.objects.get()
    now = timezone.now()

    assert outbox_pipeline.claim(OutboundEmail, [notice.pk], now) == [notice.pk]
    assert outbox_pipeline.claim(OutboundEmail, [notice.pk], now) == []
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.claimed_at) == (DeliveryStatus.SENDING, 1, now)

    tasks.send_outbound_emails.delay([notice.pk])  # claimed by another worker: skipped
    assert mail.outbox == []


def test_the_sweep_sends_a_notice_whose_task_was_lost_and_one_whose_worker_died(
    django_capture_on_commit_callbacks,
):
    lost, claimed, waiting = UserFactory(), UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(), transaction.atomic():  # no task ever runs
        notice_services.notify_users(users=[lost, claimed, waiting], **DECLINED)
    long_ago = timezone.now() - outbox_pipeline.stale_claim() - timedelta(seconds=1)
    OutboundEmail.objects.filter(user=lost).update(created_at=long_ago)
    OutboundEmail.objects.filter(user=claimed).update(
        status=DeliveryStatus.SENDING, created_at=long_ago, claimed_at=long_ago, attempts=1
    )
    OutboundEmail.objects.filter(user=waiting).update(
        created_at=long_ago, attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=1)
    )

    counts = alert_delivery.sweep()

    assert (counts["outboundemail_released"], counts["outboundemail_queued"]) == (1, 1)  # one task
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lost.email, claimed.email])
    assert dict(OutboundEmail.objects.values_list("user", "status")) == {
        lost.pk: DeliveryStatus.SENT,
        claimed.pk: DeliveryStatus.SENT,
        waiting.pk: DeliveryStatus.QUEUED,  # its retry is not due yet
    }
    assert alert_delivery.sweep()["outboundemail_queued"] == 0


def test_a_notice_to_200_members_is_recorded_in_a_few_queries_and_queued_in_batches(
    django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    members = UserFactory.create_batch(200)

    with (
        django_capture_on_commit_callbacks() as callbacks,
        # One for suspended addresses (notifications.bounces); SQLite inserts 90 rows a statement.
        django_assert_max_num_queries(6),
        transaction.atomic(),
    ):
        notice_services.notify_users(users=members, **DECLINED)

    assert OutboundEmail.objects.filter(status=DeliveryStatus.QUEUED).count() == 200
    assert len(callbacks) == 2  # a send task per 100
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
