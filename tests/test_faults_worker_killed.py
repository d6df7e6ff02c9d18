"""A worker SIGKILLed three times in a 2,000-member fan-out: nothing lost, nothing sent twice.

One ``--pool=solo`` worker at a time, each killed at a moment chosen so that the
test knows exactly where it stood:

1. during the dispatch — between its two slices of 1,000 recipients (the test
   holds a lock on a member of the second slice, so the insert waits for it);
2. mid-send — the SMTP server kills the worker while the 651st message is on
   its way, before accepting it (half-way through a send task's 100);
3. near the end — likewise at the 1,951st of 2,000 e-mails.

Between kills no worker runs, and the sweep (what beat runs every minute)
re-dispatches the alert, releases the dead worker's claimed rows and re-queues
what is due; a fourth worker finishes. Every member must end with one sent
delivery per channel, and the SMTP server and the SMS backend must each have
seen every message exactly once.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from django.db import transaction

from accounts.models import User
from bench import seed
from config.celery_app import app as celery_app
from notifications.alerts import delivery as alert_delivery
from notifications.alerts import services as alert_services
from notifications.alerts.models import Alert, AlertStatus, Channel, Severity
from notifications.outbox.models import DeliveryStatus
from tests.factories import alert_for, official
from tests.live import (
    MESSAGE_ID,
    SMS_PRINTED,
    SMTPSink,
    Worker,
    a_query_waits_for_a_lock,
    celery_worker,
    go_live,
    kill,
    smtp_server,
    sweep_with_no_worker_running,
    wait_for,
)
from watch.roles.models import OfficialKind

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

MEMBERS = 2000  # two dispatch slices of 1,000 (DISPATCH_SLICE_MEMBERS below)
SMS_EVERY = 10
# Mid-batch (e-mails go 100 to a send task): the killed batch has sent half of its messages.
KILL_AT_MESSAGE = (650, 1950)
PENDING = [DeliveryStatus.QUEUED, DeliveryStatus.SENDING]


@pytest.fixture
def live(settings) -> Iterator[None]:
    go_live(settings)
    yield
    # The sweeps queued tasks for rows that were queued already: drop the leftovers.
    celery_app.control.purge()


class KillingSink(SMTPSink):
    """Kills ``victim`` when message number ``kill_before`` + 1 arrives, and refuses it."""

    def __init__(self) -> None:
        super().__init__()
        self.victim: Worker | None = None
        self.kill_before = 0

    def refusal(self, stage: str, address: str) -> str | None:
        if stage == "DATA" and self.victim is not None and len(self.received) == self.kill_before:
            kill(self.victim)
            self.victim = None
            return "451 4.3.0 The sender is gone"
        return None


def send(alert: Alert, actor: User) -> None:
    with transaction.atomic():
        alert_services.send_alert(actor=actor, alert=alert)


@pytest.fixture
def sink() -> Iterator[KillingSink]:
    with smtp_server(KillingSink()) as running:
        yield running  # type: ignore[misc]


def test_a_fan_out_survives_three_killed_workers(live, sink):
    started = time.monotonic()
    municipality = seed.municipality()
    areas = seed.areas(municipality, 4)
    members = seed.members(areas, MEMBERS, sms_every=SMS_EVERY)
    police = official(OfficialKind.POLICE, municipality)
    alert = alert_for(police, *areas, severity=Severity.URGENT, title="Inbrott i området")
    env = {
        "EMAIL_URL": sink.url,
        "SMS_BACKEND": "notifications.sms.backends.ConsoleBackend",
        "DISPATCH_SLICE_MEMBERS": "1000",
    }
    workers: list[Worker] = []
    sweeps: list[dict[str, int]] = []

    # 1. Killed during the dispatch: the second slice's insert waits for the
    # member this transaction has locked (its foreign key check must share it).
    send(alert, police)
    with transaction.atomic():
        User.objects.select_for_update().get(pk=max(members.user_ids))
        with celery_worker(**env) as worker:
            workers.append(worker)
            wait_for(lambda: alert.deliveries.exists() and a_query_waits_for_a_lock(), timeout=30)
            kill(worker)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.SENDING, "the dispatch was not interrupted"
    sweeps.append(sweep_with_no_worker_running())

    # 2 and 3. Killed mid-send and near the end, by the SMTP server.
    for kill_before in KILL_AT_MESSAGE:
        with celery_worker(**env) as worker:
            workers.append(worker)
            sink.kill_before = kill_before
            sink.victim = worker
            wait_for(lambda w=worker: w.process.poll() is not None, timeout=60, interval=0.05)
        assert len(sink.messages()) == kill_before
        sweeps.append(sweep_with_no_worker_running())

    # 4. A last worker finishes.
    with celery_worker(**env) as worker:
        workers.append(worker)
        wait_for(
            lambda: (
                not Alert.objects.filter(pk=alert.pk, status=AlertStatus.SENDING).exists()
                and not alert.deliveries.filter(status__in=PENDING).exists()
            ),
            timeout=90,
            interval=0.2,
        )
        sms_sent = set(
            alert.deliveries.filter(channel=Channel.SMS, status=DeliveryStatus.SENT).values_list(
                "pk", flat=True
            )
        )
        # The worker's stdout is read by a thread: wait until the last SMS has shown up.
        wait_for(
            lambda: sum(len(SMS_PRINTED.findall(w.output)) for w in workers) >= len(sms_sent),
            timeout=10,
        )
    took = time.monotonic() - started
    assert [w.process.returncode for w in workers[:3]] == [-9, -9, -9]

    rows = list(alert.deliveries.values_list("pk", "user_id", "channel", "status", "attempts"))
    by_member_channel = Counter((user_id, channel) for _, user_id, channel, _, _ in rows)
    duplicates = sum(n - 1 for n in by_member_channel.values())
    assert duplicates == 0
    sent = {
        channel: {user_id for _, user_id, c, status, _ in rows if c == channel and status == "sent"}
        for channel in Channel.values
    }
    assert sent[Channel.EMAIL] == set(members.user_ids)
    assert sent[Channel.INAPP] == set(members.user_ids)
    assert sent[Channel.SMS] == set(members.sms_user_ids)
    failed = [row for row in rows if row[3] == DeliveryStatus.FAILED]
    assert failed == []

    # The SMTP server accepted each e-mail delivery's message exactly once.
    received = sink.messages()
    message_ids = Counter(int(MESSAGE_ID.fullmatch(m.message["Message-ID"])[1]) for m in received)
    email_ids = {pk for pk, _, channel, _, _ in rows if channel == Channel.EMAIL}
    assert set(message_ids) == email_ids
    assert {pk: n for pk, n in message_ids.items() if n != 1} == {}
    # And the SMS backend, over all four workers, was called once per SMS delivery.
    printed = Counter(int(ref) for w in workers for _, ref in SMS_PRINTED.findall(w.output))
    assert printed == Counter(sms_sent)

    retried = Counter(attempts for *_, attempts in rows if attempts > 1)
    print(
        f"\nworker killed x3: recipients={MEMBERS} emails_sent={len(sent[Channel.EMAIL])} "
        f"emails_at_sink={len(received)} sms_sent={len(sms_sent)} "
        f"inapp_sent={len(sent[Channel.INAPP])} failed={len(failed)} duplicates={duplicates} "
        f"claimed_again={dict(retried)} sweeps={sweeps} took={took:.1f}s"
    )


# The hard time limit of the workers in the test below, and how often its stand-in for
# beat sweeps. CI uses short ones; README "Faults" gives a run at the defaults:
# GSV_FAULT_TIME_LIMIT=180 GSV_FAULT_SWEEP_EVERY=60.
TIME_LIMIT = int(os.environ.get("GSV_FAULT_TIME_LIMIT", "20"))
SWEEP_EVERY = float(os.environ.get("GSV_FAULT_SWEEP_EVERY", "5"))


def test_a_killed_worker_delays_its_members_by_one_time_limit_not_ten_minutes(live, sink, settings):
    """What the dead worker had claimed is released once no task could still hold it.

    A claim older than the hard time limit (plus a margin) cannot belong to a running
    task, so the sweep releases it then, not after a fixed ten minutes.
    """
    settings.DELIVERY_STALE_CLAIM_SECONDS = TIME_LIMIT + 30
    municipality = seed.municipality()
    areas = seed.areas(municipality, 2)
    seed.members(areas, MEMBERS, sms_every=SMS_EVERY)
    police = official(OfficialKind.POLICE, municipality)
    alert = alert_for(police, *areas, severity=Severity.URGENT, title="Inbrott")
    env = {
        "EMAIL_URL": sink.url,
        "SMS_BACKEND": "notifications.sms.backends.ConsoleBackend",
        "CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT),
        "CELERY_TASK_SOFT_TIME_LIMIT": str(TIME_LIMIT - 5),
    }
    stop_sweeping = threading.Event()

    def beat() -> None:
        while not stop_sweeping.wait(SWEEP_EVERY):
            alert_delivery.sweep()

    with celery_worker(**env) as worker:
        sink.kill_before, sink.victim = MEMBERS // 3, worker
        send(alert, police)
        wait_for(lambda: worker.process.poll() is not None, timeout=60, interval=0.05)
    stranded = alert.deliveries.filter(status=DeliveryStatus.SENDING).count()
    assert stranded > 0, "the worker died holding no claimed rows"

    restarted = time.monotonic()
    sweeper = threading.Thread(target=beat, daemon=True)
    sweeper.start()
    try:
        with celery_worker(**env):
            wait_for(
                lambda: not alert.deliveries.filter(status__in=PENDING).exists(),
                timeout=settings.DELIVERY_STALE_CLAIM_SECONDS + 2 * SWEEP_EVERY + 60,
                interval=0.2,
            )
            to_final = time.monotonic() - restarted
    finally:
        stop_sweeping.set()
        sweeper.join()

    sent = alert.deliveries.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENT)
    assert sent.count() == MEMBERS
    message_ids = Counter(m.message["Message-ID"] for m in sink.messages())
    assert len(message_ids) == MEMBERS
    assert {mid: n for mid, n in message_ids.items() if n != 1} == {}
    print(
        f"\nworker killed at {MEMBERS // 3} of {MEMBERS} e-mails holding {stranded} claimed rows;"
        f" hard time limit {TIME_LIMIT}s, sweep every {SWEEP_EVERY:g}s:"
        f" every delivery final {to_final:.0f}s after the restart"
    )
