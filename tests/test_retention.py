"""Deliveries, account e-mails, audit entries and observations are purged after their
retention periods, in chunks."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import personal_data, services, tasks
from notifications.alerts.models import Alert, Channel, Delivery
from notifications.notices.models import OutboundEmail
from notifications.outbox.models import DeliveryStatus
from tests.factories import alert_for, member_of
from watch.audit.models import AuditAction, AuditEntry
from watch.community.models import Observation, ObservationCategory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)


def sent_alert(author, area, recipients) -> Alert:
    alert = alert_for(author, area, status="sent", sent_at=timezone.now())
    Delivery.objects.bulk_create(
        Delivery(alert=alert, user=user, area=area, channel=channel, status="sent")
        for user in recipients
        for channel in (Channel.EMAIL, Channel.SMS, Channel.INAPP)
    )
    return alert


@pytest.fixture
def history(area, police, area_member):
    """An alert to Anna, an account e-mail sent and one failed, and an audit entry, at START."""
    with time_machine.travel(START, tick=False):
        alert = sent_alert(police, area, [area_member])
        OutboundEmail.objects.bulk_create(
            OutboundEmail(to=area_member.email, user=area_member, language="sv", status=status)
            for status in (DeliveryStatus.SENT, DeliveryStatus.FAILED)
        )
        AuditEntry.objects.create(actor=police, action=AuditAction.ALERT_SENT, area=area)
    return alert


def purge_at(days: int) -> dict[str, int]:
    with time_machine.travel(START + dt.timedelta(days=days), tick=False):
        return tasks.purge_expired_records.delay().get()


def test_the_defaults_keep_deliveries_a_year_and_the_audit_log_two():
    assert (settings.DELIVERY_RETENTION_DAYS, settings.AUDIT_RETENTION_DAYS) == (365, 730)


def test_nothing_is_purged_within_the_retention_periods(history):
    assert purge_at(364) == {
        "deliveries": 0,
        "replies": 0,
        "conversations": 0,
        "notices": 0,
        "outbound_emails": 0,
        "email_bounces": 0,
        "audit_entries": 0,
        "observations": 0,
        "paper_households": 0,
        "letters": 0,
        "paper_texts": 0,
        "said_no": 0,
    }
    assert Delivery.objects.count() == 3
    assert OutboundEmail.objects.count() == 2
    assert AuditEntry.objects.count() == 1


def test_deliveries_go_after_a_year_and_the_audit_log_after_two(history, area, police, area_member):
    with time_machine.travel(START + dt.timedelta(days=200), tick=False):
        recent = sent_alert(police, area, [area_member])

    assert purge_at(366) == {
        "deliveries": 3,
        "replies": 0,
        "conversations": 0,
        "notices": 0,
        "outbound_emails": 2,
        "email_bounces": 0,
        "audit_entries": 0,
        "observations": 0,
        "paper_households": 0,
        "letters": 0,
        "paper_texts": 0,
        "said_no": 0,
    }
    assert list(Delivery.objects.values_list("alert_id", flat=True).distinct()) == [recent.pk]
    assert Alert.objects.filter(pk=history.pk).exists()  # the alert itself is not personal

    assert purge_at(731)["audit_entries"] == 1
    assert not AuditEntry.objects.exists()


def test_the_periods_are_settings(history, settings):
    settings.DELIVERY_RETENTION_DAYS = 30
    settings.AUDIT_RETENTION_DAYS = 60

    assert purge_at(31) == {
        "deliveries": 3,
        "replies": 0,
        "conversations": 0,
        "notices": 0,
        "outbound_emails": 2,
        "email_bounces": 0,
        "audit_entries": 0,
        "observations": 0,
        "paper_households": 0,
        "letters": 0,
        "paper_texts": 0,
        "said_no": 0,
    }
    assert purge_at(61) == {
        "deliveries": 0,
        "replies": 0,
        "conversations": 0,
        "notices": 0,
        "outbound_emails": 0,
        "email_bounces": 0,
        "audit_entries": 1,
        "observations": 0,
        "paper_households": 0,
        "letters": 0,
        "paper_texts": 0,
        "said_no": 0,
    }


def test_an_alert_that_never_went_out_counts_from_its_creation(area, police, area_member):
    with time_machine.travel(START, tick=False):
        alert = alert_for(police, area, status="sending")
        Delivery.objects.create(alert=alert, user=area_member, area=area, channel="inapp")

    assert purge_at(366)["deliveries"] == 1


def test_an_account_e_mail_still_to_be_sent_is_kept(member):
    with time_machine.travel(START, tick=False):
        waiting = OutboundEmail.objects.create(to=member.email, user=member, language="sv")

    assert purge_at(366)["outbound_emails"] == 0
    assert OutboundEmail.objects.get() == waiting


def test_the_purge_deletes_in_chunks_with_two_queries_each(
    area, police, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(personal_data, "PURGE_CHUNK_SIZE", 4)
    with time_machine.travel(START, tick=False):
        recipients = [member_of(area) for _n in range(3)]
        sent_alert(police, area, recipients)  # 9 deliveries: chunks of 4, 4 and 1
        AuditEntry.objects.bulk_create(
            AuditEntry(action=AuditAction.MEMBERS_EXPORTED, area=area) for _n in range(5)
        )

    with (
        time_machine.travel(START + dt.timedelta(days=800), tick=False),
        django_assert_num_queries(3 * 2 + 1 + 1 + 1 + 1 + 1 + 1 + 2 * 2 + 1 + 1 + 1 + 3),
    ):
        counts = services.purge_expired_records()

    assert counts == {
        "deliveries": 9,
        "replies": 0,
        "conversations": 0,
        "notices": 0,
        "outbound_emails": 0,
        "email_bounces": 0,
        "audit_entries": 5,
        "observations": 0,
        "paper_households": 0,
        "letters": 0,
        "paper_texts": 0,
        "said_no": 0,
    }


def test_beat_runs_the_purge_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["purge-expired-records"]

    assert entry["task"] == tasks.purge_expired_records.name
    assert entry["schedule"].hour == {3}


def test_observations_and_their_photos_go_after_two_years(area_member, area, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(START, tick=False):
        old = Observation.objects.create(
            reporter=area_member,
            municipality=area.municipality,
            area=area,
            category=ObservationCategory.GRAFFITI,
            observed_at=timezone.now(),
            longitude=13.8,
            latitude=58.7,
            description="Klotter på elskåpet.",
            photo=SimpleUploadedFile("klotter.jpg", b"not decoded here"),
        )
    photo = tmp_path / old.photo.name
    assert photo.exists()

    assert purge_at(730)["observations"] == 0
    assert purge_at(731)["observations"] == 1

    assert not Observation.objects.exists()
    assert not photo.exists()
