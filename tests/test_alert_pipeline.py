"""The delivery pipeline: dispatch, sending, retries, failures, quiet hours, scheduling."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.alerts import delivery as alert_delivery
from notifications.alerts import services as alert_services
from notifications.alerts.models import Alert, Delivery, Kind
from notifications.alerts.planning import preview
from notifications.outbox import pipeline
from notifications.outbox import pipeline as outbox_pipeline
from notifications.sms import backends as sms_backends
from tests import mail_backends
from tests.factories import alert_for, member_of, prefer, verified_phone

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture(autouse=True)
def _refusing_mail(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingBackend"
    settings.DELIVERY_BACKOFF_BASE_SECONDS = 1
    mail_backends.reset()
    yield
    mail_backends.reset()


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send an alert the way the web form does, running its tasks eagerly."""

    def _send(alert: Alert, actor) -> Alert:
        with django_capture_on_commit_callbacks(execute=True):
            alert_services.send_alert(actor=actor, alert=alert)
        alert.refresh_from_db()
        return alert

    return _send


def statuses(alert: Alert) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for channel, status in alert.deliveries.values_list("channel", "status"):
        counts[channel, status] = counts.get((channel, status), 0) + 1
    return counts


def test_every_member_gets_one_delivery_per_channel(police, area, area_b, send):
    members = [member_of(area) for _ in range(3)] + [member_of(area_b) for _ in range(2)]

    alert = send(alert_for(police, area, area_b), police)

    assert alert.status == "sent"
    assert set(alert.areas.all()) == {area, area_b}
    assert statuses(alert) == {
        ("email", "sent"): 5,
        ("inapp", "sent"): 5,
        ("sms", "skipped"): 5,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)


def test_members_of_other_areas_get_nothing(police, area, area_b, send):
    member_of(area)
    outsider = member_of(area_b)

    alert = send(alert_for(police, area), police)

    assert not Delivery.objects.filter(alert=alert, user=outsider).exists()
    assert outsider.email not in [m.to[0] for m in mail.outbox]


def test_a_second_dispatch_creates_and_sends_nothing_more(police, area, send):
    member_of(area)
    alert = send(alert_for(police, area), police)
    Alert.objects.filter(pk=alert.pk).update(status="sending")

    assert alert_delivery.dispatch_here(alert.pk) == 0

    assert Delivery.objects.filter(alert=alert).count() == 3
    assert len(mail.outbox) == 1


def test_send_twice_is_refused(police, area, send):
    alert = send(alert_for(police, area), police)

    with pytest.raises(ValidationError):
        alert_services.send_alert(actor=police, alert=alert)


def test_dispatch_of_1000_recipients_uses_a_small_constant_number_of_queries(
    police, area, monkeypatch
):
    for _ in range(1000):
        member_of(area)
    alert = alert_for(police, area)
    Alert.objects.filter(pk=alert.pk).update(status="sending")
    enqueued: list[int] = []
    # Only dispatch's own SQL is counted here; sending is exercised by the other tests.
    monkeypatch.setattr(
        pipeline, "enqueue_on_commit", lambda task, channel, ids: enqueued.extend(ids)
    )

    with CaptureQueriesContext(connection) as queries:
        alert_delivery.dispatch_here(alert.pk)

    assert Delivery.objects.filter(alert=alert).count() == 3000
    # E-mail only: SMS is opted out by default, and in-app entries are written as sent.
    assert len(enqueued) == 1000
    assert Delivery.objects.filter(alert=alert, channel="inapp", status="sent").count() == 1000
    # Planning the range takes 14 (one of them looks for households on paper to text:
    # watch.paper.texts), its one slice 18 (one of them reads the languages the alert
    # has versions in). SQLite allows 999 parameters per statement, so Django splits each
    # chunk's bulk insert into ~52 statements of 17 columns; PostgreSQL takes a chunk in
    # one.
    limit = 85 if connection.vendor == "sqlite" else 32
    assert len(queries) <= limit, [q["sql"][:120] for q in queries]


def test_preview_counts_equal_the_deliveries(police, area, send):
    plain = member_of(area)
    texter = verified_phone(member_of(area), quiet_hours_enabled=False)
    prefer(texter, Kind.POLICE_ALERT, email=False, sms=True, inapp=True)
    unverified = member_of(area)
    prefer(unverified, Kind.POLICE_ALERT, email=True, sms=True, inapp=True)
    alert = alert_for(police, area)

    planned = preview(alert, dt.datetime.now(tz=STOCKHOLM))
    alert = send(alert, police)

    assert (planned.areas, planned.households, planned.members) == (1, 3, 3)
    assert planned.channels["email"] == {"send": 2, "opted_out": 1}
    assert planned.channels["sms"] == {"send": 1, "opted_out": 1, "no_verified_phone": 1}
    assert planned.channels["inapp"] == {"send": 3}
    assert statuses(alert) == {
        ("email", "sent"): 2,
        ("email", "skipped"): 1,
        ("sms", "sent"): 1,
        ("sms", "skipped"): 2,
        ("inapp", "sent"): 3,
    }
    assert [m.to for m in sms_backends.outbox] == [texter.phone]
    assert plain.email in [m.to[0] for m in mail.outbox]


@time_machine.travel(dt.datetime(2026, 11, 25, 23, 30, tzinfo=STOCKHOLM), tick=False)
def test_non_urgent_sms_waits_for_the_end_of_quiet_hours(police, area, send):
    texter = verified_phone(member_of(area))
    prefer(texter, Kind.POLICE_ALERT, email=False, sms=True, inapp=True)

    alert = send(alert_for(police, area, severity="normal"), police)

    delivery = Delivery.objects.get(alert=alert, channel="sms")
    assert (delivery.status, delivery.reason) == ("queued", "quiet_hours")
    assert delivery.next_attempt_at == dt.datetime(2026, 11, 26, 7, 0, tzinfo=STOCKHOLM)
    assert sms_backends.outbox == []

    with time_machine.travel(dt.datetime(2026, 11, 26, 7, 1, tzinfo=STOCKHOLM), tick=False):
        alert_delivery.sweep()

    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert [m.to for m in sms_backends.outbox] == [texter.phone]


@time_machine.travel(dt.datetime(2026, 11, 25, 23, 30, tzinfo=STOCKHOLM), tick=False)
def test_urgent_sms_goes_at_once_even_in_quiet_hours(police, area, send):
    texter = verified_phone(member_of(area))
    prefer(texter, Kind.POLICE_ALERT, email=False, sms=True, inapp=True)

    alert = send(alert_for(police, area, severity="urgent"), police)

    assert Delivery.objects.get(alert=alert, channel="sms").status == "sent"
    assert len(sms_backends.outbox) == 1


def test_sms_only_to_a_verified_number(police, area, send):
    texter = member_of(area, phone="+46701740651")
    prefer(texter, Kind.POLICE_ALERT, email=False, sms=True, inapp=True)

    alert = send(alert_for(police, area), police)

    delivery = Delivery.objects.get(alert=alert, channel="sms")
    assert (delivery.status, delivery.reason) == ("skipped", "no_verified_phone")
    assert sms_backends.outbox == []


def test_a_scheduled_alert_goes_out_at_its_time(
    police, area, send, django_capture_on_commit_callbacks
):
    member = member_of(area)
    publish_at = dt.datetime(2026, 12, 24, 9, 0, tzinfo=STOCKHOLM)

    with time_machine.travel(dt.datetime(2026, 12, 1, 12, 0, tzinfo=STOCKHOLM), tick=False):
        alert = send(alert_for(police, area, publish_at=publish_at), police)
        alert_delivery.sweep()

    assert alert.status == "scheduled"
    assert not Delivery.objects.exists()

    with (
        time_machine.travel(dt.datetime(2026, 12, 24, 9, 0, 30, tzinfo=STOCKHOLM), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        alert_delivery.sweep()

    alert.refresh_from_db()
    assert alert.status == "sent"
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_a_cancelled_scheduled_alert_never_goes_out(police, area, send):
    member_of(area)
    alert = send(
        alert_for(police, area, publish_at=dt.datetime(2030, 1, 1, tzinfo=STOCKHOLM)), police
    )

    alert_services.cancel_alert(actor=police, alert=alert)
    with time_machine.travel(dt.datetime(2030, 1, 2, tzinfo=STOCKHOLM), tick=False):
        alert_delivery.sweep()

    alert.refresh_from_db()
    assert alert.status == "cancelled"
    assert not Delivery.objects.exists()


def sweep_until_settled(start: dt.datetime, rounds: int = 8) -> None:
    """Eager Celery ignores countdowns, so retries happen when the sweep finds them due."""
    for minute in range(1, rounds + 1):
        with time_machine.travel(start + dt.timedelta(minutes=minute), tick=False):
            alert_delivery.sweep()


START = dt.datetime(2026, 11, 25, 12, 0, tzinfo=STOCKHOLM)


def test_temporary_failure_is_retried_with_backoff_then_delivered(police, area, send):
    member = member_of(area)
    mail_backends.REFUSE[member.email] = (451, 2)

    with time_machine.travel(START, tick=False):
        alert = send(alert_for(police, area), police)
        delivery = Delivery.objects.get(alert=alert, channel="email")
        assert (delivery.status, delivery.attempts) == ("queued", 1)
        assert delivery.next_attempt_at == START + dt.timedelta(seconds=1)
        assert "451" in delivery.last_error
    sweep_until_settled(START)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, "")
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_temporary_failures_stop_after_the_maximum_attempts(police, area, send, settings):
    settings.DELIVERY_MAX_ATTEMPTS = 3
    member = member_of(area)
    mail_backends.REFUSE[member.email] = (451, None)

    with time_machine.travel(START, tick=False):
        alert = send(alert_for(police, area), police)
    sweep_until_settled(START)

    delivery = Delivery.objects.get(alert=alert, channel="email")
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert "451" in delivery.last_error
    assert mail.outbox == []


def test_permanent_failure_is_not_retried_and_the_rest_is_delivered(police, area, send):
    bad = member_of(area)
    good = member_of(area)
    mail_backends.REFUSE[bad.email] = (550, None)

    alert = send(alert_for(police, area), police)

    failed = Delivery.objects.get(alert=alert, user=bad, channel="email")
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert "550" in failed.last_error
    assert [m.to for m in mail.outbox] == [[good.email]]


def test_a_row_claimed_by_a_dead_worker_is_released_and_sent_once(police, area, settings):
    member = member_of(area)
    alert = alert_for(police, area)
    Alert.objects.filter(pk=alert.pk).update(status="sent")
    claimed_at = START
    with time_machine.travel(claimed_at, tick=False):
        # A worker claimed the row and died before it sent anything.
        Delivery.objects.create(
            alert=alert,
            user=member,
            area=area,
            channel="email",
            status="sending",
            claimed_at=claimed_at,
            attempts=1,
        )

    # A task may hold its rows for up to its hard time limit; then they are released.
    hard_limit = dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    with time_machine.travel(claimed_at + hard_limit, tick=False):
        assert alert_delivery.sweep()["delivery_released"] == 0
    with time_machine.travel(claimed_at + outbox_pipeline.stale_claim() + dt.timedelta(seconds=1)):
        assert outbox_pipeline.stale_claim() < dt.timedelta(minutes=4)
        assert alert_delivery.sweep()["delivery_released"] == 1

    delivery = Delivery.objects.get(alert=alert)
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_in_app_entries_an_older_release_queued_are_delivered_by_the_sweep(police, area):
    alert = alert_for(police, area)
    Alert.objects.filter(pk=alert.pk).update(status="sent")
    queued, claimed = (
        Delivery.objects.create(
            alert=alert, user=member_of(area), area=area, channel="inapp", status=status
        )
        for status in ("queued", "sending")
    )
    email = Delivery.objects.create(alert=alert, user=queued.user, area=area, channel="email")

    # Late enough for the sweep to take the e-mail row as one whose task was lost, too.
    with time_machine.travel(timezone.now() + outbox_pipeline.LOST_SEND * 2):
        assert alert_delivery.sweep()["inapp_delivered"] == 2

    queued.refresh_from_db()
    claimed.refresh_from_db()
    assert (queued.status, claimed.status) == ("sent", "sent")
    assert queued.sent_at is not None
    # The e-mail went its own way, through the channel: sent, and in the outbox.
    assert Delivery.objects.get(pk=email.pk).status == "sent"
    assert [m.to for m in mail.outbox] == [[queued.user.email]]


def test_a_message_marked_sent_is_stored_as_the_orm_stores_it(police, area):
    alert = alert_for(police, area)
    by_sql, by_orm = (
        Delivery.objects.create(
            alert=alert, user=member_of(area), area=area, channel="email", status="sending"
        )
        for _ in range(2)
    )
    now = dt.datetime(2026, 11, 25, 15, 30, tzinfo=dt.UTC)

    pipeline.record_outcomes(Delivery, [by_sql], [pipeline.Outcome(by_sql.pk, ok=True)])
    Delivery.objects.filter(pk=by_orm.pk).update(status="sent", sent_at=now)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, CAST(sent_at AS TEXT) FROM notifications_delivery WHERE id IN (%s, %s)",
            [by_sql.pk, by_orm.pk],
        )
        stored = dict(cursor.fetchall())
    if connection.vendor == "sqlite":
        # Text there: both in the ORM's form, naive UTC, so they compare and sort as text.
        assert "+" not in stored[by_sql.pk]
        assert "+" not in stored[by_orm.pk]
    assert Delivery.objects.get(pk=by_sql.pk).sent_at is not None
