"""Redis (broker and cache) down while an area contact sends an invitation by e-mail.

The test runs a Redis of its own and points this process (the web side: Celery
broker and cache) and a worker at it, then stops it. The invite button must
still work: the invitation's e-mail is recorded (an ``OutboundEmail`` row) with
the audit entry, and the enqueue after commit fails and is logged. Once Redis is
back (empty, as after a crash), the sweep finds the row and the worker delivers
it to the SMTP sink on loopback, exactly once.
"""

from __future__ import annotations

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse

from notifications.alerts import delivery as alert_delivery
from notifications.notices.models import OutboundEmail
from notifications.outbox import pipeline as outbox_pipeline
from notifications.outbox.models import DeliveryStatus
from tests.conftest import client_for
from tests.live import go_live, site_on_private_redis, wait_for
from watch.audit.models import AuditAction, AuditEntry

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

INVITED = "ny.granne@example.org"
OUTAGE_SECONDS = 5


@pytest.fixture
def live(settings) -> None:
    go_live(settings)


def test_an_invitation_sent_while_redis_is_down_is_delivered_once_redis_is_back(
    live, settings, caplog, area, area_contact
):
    browser = client_for(area_contact)

    with site_on_private_redis(settings) as (redis, sink, worker):
        redis.stop()
        asked = time.monotonic()
        response = browser.post(
            reverse("watch:area_invite", args=[area.pk]), {"email": INVITED}, follow=True
        )
        request_seconds = time.monotonic() - asked
        assert response.status_code == 200
        assert "The invitation has been sent." in response.content.decode()
        assert "Could not queue notifications.tasks.send_outbound_emails" in caplog.text
        notice = OutboundEmail.objects.get()
        assert (notice.to, notice.status, notice.attempts) == (
            INVITED,
            DeliveryStatus.QUEUED,
            0,
        )
        assert AuditEntry.objects.filter(
            action=AuditAction.HOUSEHOLD_INVITED, detail=INVITED
        ).exists()
        time.sleep(OUTAGE_SECONDS)
        assert sink.messages() == []
        assert worker.process.poll() is None, "the worker died with the broker"

        redis.start()
        back = time.monotonic()
        # The task never reached the broker; the sweep finds the row (overdue here
        # at once, instead of after outbox_pipeline.LOST_SEND).
        with mock.patch.object(outbox_pipeline, "LOST_SEND", timedelta(0)):
            assert alert_delivery.sweep()["outboundemail_queued"] == 1
        try:
            wait_for(
                lambda: OutboundEmail.objects.filter(status=DeliveryStatus.SENT).exists(),
                timeout=60,
                interval=0.2,
            )
        except AssertionError:
            raise AssertionError(
                f"not sent 60 s after Redis came back: {OutboundEmail.objects.get()};\n"
                f"worker output (tail):\n{worker.output[-4000:]}"
            ) from None
        recovered = time.monotonic() - back
        # A second sweep finds nothing more to send; nothing arrives twice.
        with mock.patch.object(outbox_pipeline, "LOST_SEND", timedelta(0)):
            assert alert_delivery.sweep()["outboundemail_queued"] == 0
        time.sleep(1)

    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error) == (DeliveryStatus.SENT, 1, "")
    received = sink.messages()
    assert [list(m.rcpt_tos) for m in received] == [[INVITED]]
    assert received[0].message["Message-ID"] == f"<outbound-{notice.pk}@grannsamverkan.invalid>"
    print(
        f"\nredis down (invitation): request_took={request_seconds:.2f}s "
        f"outage={OUTAGE_SECONDS}s emails_at_sink={len(received)} duplicates={len(received) - 1} "
        f"delivered_after_restart={recovered:.1f}s"
    )
