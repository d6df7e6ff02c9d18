"""Redis (broker and cache) down while an alert is sent from the web page, and for 30 s after.

The test runs a Redis of its own and points this process (the web side: Celery
broker and cache) and a worker at it, then stops it. The Send button must still
work: the alert is recorded and the page says so — the rate limit on Send,
counted in the cache, lets it through, and the enqueue after commit fails and is
logged. Once Redis is back (empty: it kept nothing on disk, as after a crash),
the sweep dispatches the alert and every member gets it once.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from bench import seed
from notifications.alerts import delivery as alert_delivery
from notifications.alerts.models import AlertStatus, Channel, Delivery, Severity
from notifications.outbox.models import DeliveryStatus
from tests.factories import alert_for, official
from tests.live import MESSAGE_ID, go_live, site_on_private_redis, wait_for
from watch.roles.models import OfficialKind

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

MEMBERS = 60
OUTAGE_SECONDS = 30
PENDING = [DeliveryStatus.QUEUED, DeliveryStatus.SENDING]


@pytest.fixture
def live(settings) -> None:
    go_live(settings)


def test_an_alert_sent_while_redis_is_down_is_kept_and_delivered_once_redis_is_back(
    live, settings, caplog
):
    municipality = seed.municipality()
    areas = seed.areas(municipality, 2)
    members = seed.members(areas, MEMBERS, sms_every=MEMBERS)
    police = official(OfficialKind.POLICE, municipality)
    alerts = [
        alert_for(police, *areas, severity=Severity.URGENT, title=f"Larm {n}") for n in (1, 2)
    ]
    browser = Client()
    browser.force_login(police)

    with site_on_private_redis(settings) as (redis, sink, worker):
        redis.stop()
        outage_started = time.monotonic()
        request_seconds = []
        for alert in alerts:
            asked = time.monotonic()
            response = browser.post(reverse("notifications:alert_send", args=[alert.pk]))
            request_seconds.append(time.monotonic() - asked)
            assert response.status_code == 302
            assert response.url == reverse("notifications:alert_detail", args=[alert.pk])
            report = browser.get(response.url)
            assert report.status_code == 200
            assert "The alert is being sent." in report.content.decode()
            alert.refresh_from_db()
            assert alert.status == AlertStatus.SENDING
            assert alert.dispatched_at is not None
            time.sleep(OUTAGE_SECONDS / 2 - (time.monotonic() - asked))
        assert "Could not queue notifications.tasks.dispatch_alert" in caplog.text
        # Nothing went anywhere while Redis was down.
        assert not any(alert.deliveries.exists() for alert in alerts)
        assert sink.messages() == []
        assert worker.process.poll() is None, "the worker died with the broker"
        outage = time.monotonic() - outage_started

        redis.start()
        back = time.monotonic()
        # The alerts were never queued; the sweep finds them (they are overdue
        # here at once, instead of after outbox_pipeline.stale_claim()).
        settings.DELIVERY_STALE_CLAIM_SECONDS = 0
        swept = alert_delivery.sweep()
        assert swept["redispatched"] == len(alerts)
        try:
            wait_for(
                lambda: all(
                    a.deliveries.exists() and not a.deliveries.filter(status__in=PENDING).exists()
                    for a in alerts
                ),
                timeout=60,
                interval=0.2,
            )
        except AssertionError:
            counts = Counter(
                Delivery.objects.values_list("alert_id", "channel", "status").order_by()
            )
            raise AssertionError(
                f"not delivered 60 s after Redis came back: {dict(counts)};\n"
                f"worker output (tail):\n{worker.output[-4000:]}"
            ) from None
        recovered = time.monotonic() - back

    rows = []
    for alert in alerts:
        alert.refresh_from_db()
        assert alert.status == AlertStatus.SENT
        rows += list(alert.deliveries.values_list("pk", "alert_id", "user_id", "channel", "status"))
    # One row per alert, member and channel; every e-mail and in-app one sent.
    assert len({(alert_id, user_id, channel) for _, alert_id, user_id, channel, _ in rows}) == len(
        rows
    )
    emails = {pk for pk, _, _, channel, _ in rows if channel == Channel.EMAIL}
    assert {status for *_, status in rows if status != "skipped"} == {DeliveryStatus.SENT}
    assert len(emails) == MEMBERS * len(alerts)
    at_sink = Counter(
        int(MESSAGE_ID.fullmatch(m.message["Message-ID"])[1]) for m in sink.messages()
    )
    duplicates = sum(n - 1 for n in at_sink.values())
    assert set(at_sink) == emails
    assert duplicates == 0
    print(
        f"\nredis down: alerts={len(alerts)} recipients={len(members.user_ids)} "
        f"requests_took={[round(s, 2) for s in request_seconds]}s outage={outage:.0f}s "
        f"emails_at_sink={len(at_sink)} sent={sum(1 for *_, s in rows if s == 'sent')} "
        f"failed=0 duplicates={duplicates} delivered_after_restart={recovered:.1f}s"
    )
