"""Account e-mails (``OutboundEmail``): one refused address is that address's failure alone.

They go one message at a time over one connection to a real SMTP server on
loopback (aiosmtpd, in this process). A 5xx refusal is final at once; a 4xx or a
dropped connection puts the row back in the queue with backoff, for the
recipients still owed the message only, up to ``DELIVERY_MAX_ATTEMPTS`` tries.
Celery runs eagerly here; ``retry_due`` makes the waiting rows due and sweeps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.utils import timezone

from notifications.alerts import delivery as alert_delivery
from notifications.notices import services as notice_services
from notifications.notices.models import OutboundEmail
from notifications.outbox.models import DeliveryStatus
from tests.live import RefusingSink, smtp_server

pytestmark = pytest.mark.django_db

TEMPORARY = "451 4.3.0 Try again later"
PERMANENT = "550 5.1.1 No such mailbox"
CLOSING = "421 4.3.2 Shutting down, closing the connection"


@pytest.fixture
def sink(settings) -> Iterator[RefusingSink]:
    with smtp_server(RefusingSink({})) as running:
        settings.EMAIL_BACKEND = "notifications.emails.SMTPBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = running.port
        yield running  # type: ignore[misc]


@pytest.fixture
def notify(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    def _notify(*addresses: str) -> None:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            notice_services.notify_addresses(
                addresses=addresses,
                language="en",
                template="watch/request_declined",
                context={"area": "Marieholm", "reason": ""},
            )

    return _notify


def retry_due() -> dict[str, int]:
    """The backoff has passed: the sweep sends what waits."""
    OutboundEmail.objects.filter(status=DeliveryStatus.QUEUED).update(
        next_attempt_at=timezone.now()
    )
    return alert_delivery.sweep()


def delivered(sink: RefusingSink) -> Counter[str]:
    return Counter(address for mail in sink.messages() for address in mail.rcpt_tos)


def status_of() -> dict[str, tuple[str, int]]:
    return {row.to: (row.status, row.attempts) for row in OutboundEmail.objects.all()}


def test_a_permanently_refused_address_is_tried_once_and_the_rest_get_one_message(sink, notify):
    sink.rules["gone@example.org"] = ("RCPT", PERMANENT, None)

    notify("a@example.org", "gone@example.org", "b@example.org")
    assert retry_due()["outboundemail_queued"] == 0

    assert delivered(sink) == {"a@example.org": 1, "b@example.org": 1}
    assert sink.attempts == {"a@example.org": 1, "gone@example.org": 1, "b@example.org": 1}
    assert status_of() == {
        "a@example.org": ("sent", 1),
        "gone@example.org": ("failed", 1),
        "b@example.org": ("sent", 1),
    }
    assert OutboundEmail.objects.get(to="gone@example.org").last_error.startswith("550 ")


def test_a_temporary_refusal_is_retried_for_that_address_only(sink, notify):
    sink.rules["busy@example.org"] = ("DATA", TEMPORARY, 2)

    notify("a@example.org", "busy@example.org", "b@example.org")
    busy = OutboundEmail.objects.get(to="busy@example.org")
    assert (busy.status, busy.attempts, busy.last_error) == ("queued", 1, TEMPORARY)
    assert busy.next_attempt_at > timezone.now()
    assert retry_due()["outboundemail_queued"] == 1
    assert retry_due()["outboundemail_queued"] == 1

    assert delivered(sink) == dict.fromkeys(
        ["a@example.org", "busy@example.org", "b@example.org"], 1
    )
    assert sink.attempts == {"a@example.org": 1, "busy@example.org": 3, "b@example.org": 1}
    assert status_of()["busy@example.org"] == ("sent", 3)
    assert retry_due()["outboundemail_queued"] == 0


def test_a_dropped_connection_retries_those_not_yet_sent_and_nobody_else(sink, notify):
    # smtplib closes the connection on a 421; the next message finds it gone.
    sink.rules["b@example.org"] = ("RCPT", CLOSING, 1)

    notify("a@example.org", "b@example.org", "c@example.org")
    assert status_of() == {
        "a@example.org": ("sent", 1),
        "b@example.org": ("queued", 1),
        "c@example.org": ("queued", 1),
    }
    retry_due()

    assert delivered(sink) == dict.fromkeys(["a@example.org", "b@example.org", "c@example.org"], 1)
    assert sink.attempts == {"a@example.org": 1, "b@example.org": 2, "c@example.org": 1}


def test_retries_are_bounded(sink, notify, settings):
    sink.rules["busy@example.org"] = ("RCPT", TEMPORARY, None)

    notify("a@example.org", "busy@example.org")
    for _retry in range(settings.DELIVERY_MAX_ATTEMPTS + 1):
        retry_due()

    assert delivered(sink) == {"a@example.org": 1}
    assert sink.attempts == {"a@example.org": 1, "busy@example.org": settings.DELIVERY_MAX_ATTEMPTS}
    assert status_of()["busy@example.org"] == ("failed", settings.DELIVERY_MAX_ATTEMPTS)
