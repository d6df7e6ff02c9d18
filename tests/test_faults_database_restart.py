"""The database goes away between the dispatch and the sending, and comes back.

The machine's PostgreSQL is shared, so the worker reaches it through a TCP proxy
of the test's own (tests/live.py ``TCPProxy``): cutting the proxy drops the
worker's connection and turns new ones away, as a restart does, and nobody
else notices. The cut is timed exactly: the test plans the dispatch itself, then
holds a lock on the alert row that only the dispatch's last step (marking the
alert sent, once its one slice has committed) needs, so when the worker waits for
it, every delivery row exists and every send task is queued, and nothing has
been sent. The send tasks then fail on the database and
are retried with backoff; once it is back, every member gets the alert once.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import ExitStack

import pytest
from django.db import transaction

from bench import seed
from notifications.alerts import delivery as alert_delivery
from notifications.alerts import services as alert_services
from notifications.alerts.models import Alert, AlertStatus, Channel, Severity
from notifications.outbox.models import DeliveryStatus
from tests.factories import alert_for, official
from tests.live import (
    MESSAGE_ID,
    SMS_PRINTED,
    a_query_waits_for_a_lock,
    celery_worker,
    go_live,
    smtp_server,
    tcp_proxy,
    wait_for,
)
from watch.roles.models import OfficialKind

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

MEMBERS = 200
OUTAGE_SECONDS = 3
PENDING = [DeliveryStatus.QUEUED, DeliveryStatus.SENDING]


@pytest.fixture
def live(settings) -> None:
    go_live(settings)


def test_send_tasks_retry_through_a_database_restart_and_lose_nothing(live, settings):
    municipality = seed.municipality()
    areas = seed.areas(municipality, 2)
    members = seed.members(areas, MEMBERS, sms_every=10)
    police = official(OfficialKind.POLICE, municipality)
    alert = alert_for(police, *areas, severity=Severity.URGENT)
    db = settings.DATABASES["default"]

    with ExitStack() as running:
        sink = running.enter_context(smtp_server())
        proxy = running.enter_context(tcp_proxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
        through_proxy = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@127.0.0.1:{proxy.port}/{db['NAME']}"
        )
        with transaction.atomic():
            alert_services.send_alert(actor=police, alert=alert)
        alert_delivery.dispatch(alert.pk)  # the ranges, whose slice tasks it queues
        with transaction.atomic():
            # The slice's inserts only share the row's key; marking it sent waits.
            Alert.objects.select_for_update(no_key=True).get(pk=alert.pk)
            worker = running.enter_context(
                celery_worker(
                    DATABASE_URL=through_proxy,
                    EMAIL_URL=sink.url,
                    SMS_BACKEND="notifications.sms.backends.ConsoleBackend",
                )
            )
            wait_for(a_query_waits_for_a_lock, timeout=30)
            rows_before = alert.deliveries.count()
            # Nothing has gone out yet (in-app entries are written as sent by dispatch).
            assert not (
                alert.deliveries.filter(status=DeliveryStatus.SENT)
                .exclude(channel=Channel.INAPP)
                .exists()
            )
            proxy.cut()
        cut_at = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        proxy.restore()
        wait_for(
            lambda: (
                Alert.objects.filter(pk=alert.pk, status=AlertStatus.SENT).exists()
                and not alert.deliveries.filter(status__in=PENDING).exists()
            ),
            timeout=60,
            interval=0.2,
        )
        recovered = time.monotonic() - cut_at
        sms_sent = set(
            alert.deliveries.filter(channel=Channel.SMS, status=DeliveryStatus.SENT).values_list(
                "pk", flat=True
            )
        )
        wait_for(lambda: len(SMS_PRINTED.findall(worker.output)) >= len(sms_sent), timeout=10)
    received = sink.messages()

    # The worker's tasks met the dead database and were retried.
    retries = [
        line
        for line in worker.output.splitlines()
        if "send_deliveries" in line
        and "retry:" in line
        and ("OperationalError" in line or "InterfaceError" in line)
    ]
    assert retries, worker.output[-3000:]
    assert proxy.turned_away > 0

    rows = list(alert.deliveries.values_list("pk", "user_id", "channel", "status"))
    assert len(rows) == rows_before  # nothing lost, nothing added
    assert len({(user_id, channel) for _, user_id, channel, _ in rows}) == len(rows)
    sent = Counter(channel for _, _, channel, status in rows if status == DeliveryStatus.SENT)
    assert sent == {
        Channel.EMAIL: MEMBERS,
        Channel.INAPP: MEMBERS,
        Channel.SMS: len(members.sms_user_ids),
    }
    at_sink = Counter(int(MESSAGE_ID.fullmatch(m.message["Message-ID"])[1]) for m in received)
    assert set(at_sink) == {pk for pk, _, channel, _ in rows if channel == Channel.EMAIL}
    duplicates = sum(n - 1 for n in at_sink.values())
    assert duplicates == 0
    assert Counter(int(ref) for _, ref in SMS_PRINTED.findall(worker.output)) == Counter(sms_sent)
    print(
        f"\ndatabase restart: recipients={MEMBERS} rows={len(rows)} sent={dict(sent)} "
        f"emails_at_sink={len(received)} failed=0 duplicates={duplicates} "
        f"task_retries={len(retries)} connections_turned_away={proxy.turned_away} "
        f"outage={OUTAGE_SECONDS}s all_sent_after={recovered:.1f}s"
    )
