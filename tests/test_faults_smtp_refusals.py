"""The SMTP server refuses: 451 for a while (retried with backoff, then delivered), 550 for good.

A real worker mails a real SMTP server on loopback that answers some addresses
451 for their first attempts and others 550 every time. A temporary refusal is
retried (backoff shortened to 1 s, 2 s) until the mail goes; a permanent one is
tried once, marked failed with the server's reason and listed on the sender's
report page; everyone else gets the mail once. The one-off account e-mails
(``OutboundEmail`` rows) follow the same rules: a retry goes only to those still
owed a message.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from bench import seed
from notifications.alerts import services as alert_services
from notifications.alerts.models import AlertStatus, Channel, Severity
from notifications.notices import services as notice_services
from notifications.notices.models import OutboundEmail
from notifications.outbox.models import DeliveryStatus
from tests.factories import alert_for, official
from tests.live import RefusingSink, SMTPSink, celery_worker, go_live, smtp_server, wait_for
from watch.roles.models import OfficialKind

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

MEMBERS = 30
REFUSALS = 2
TEMPORARY = "451 4.3.0 Mailbox busy, try again later"
PERMANENT = "550 5.1.1 No such mailbox here"
PENDING = [DeliveryStatus.QUEUED, DeliveryStatus.SENDING]


@pytest.fixture
def live(settings) -> None:
    go_live(settings)


def worker_for(sink: SMTPSink):  # type: ignore[no-untyped-def]
    # Retries after 1 s, then 2 s, instead of 30 s and 60 s.
    return celery_worker(EMAIL_URL=sink.url, DELIVERY_BACKOFF_BASE_SECONDS="1")


def test_temporary_refusals_are_retried_and_permanent_ones_reported_after_one_try(live):
    municipality = seed.municipality()
    areas = seed.areas(municipality, 2)
    seed.members(areas, MEMBERS, sms_every=MEMBERS)
    addresses = [f"bench-{index}@example.org" for index in range(MEMBERS)]
    busy = {addresses[1]: "RCPT", addresses[2]: "DATA", addresses[3]: "RCPT"}
    unknown = {addresses[4], addresses[5]}
    sink = RefusingSink(
        {address: (stage, TEMPORARY, REFUSALS) for address, stage in busy.items()}
        | {address: ("RCPT", PERMANENT, None) for address in unknown}
    )
    police = official(OfficialKind.POLICE, municipality)
    alert = alert_for(police, *areas, severity=Severity.URGENT)

    with smtp_server(sink), worker_for(sink):
        started = time.monotonic()
        with transaction.atomic():
            alert_services.send_alert(actor=police, alert=alert)
        wait_for(
            lambda: (
                alert.deliveries.exists()
                and not alert.deliveries.filter(status__in=PENDING).exists()
            ),
            timeout=30,
            interval=0.2,
        )
        took = time.monotonic() - started

    alert.refresh_from_db()
    assert alert.status == AlertStatus.SENT
    emails = {
        d.user.email: d
        for d in alert.deliveries.filter(channel=Channel.EMAIL).select_related("user")
    }
    assert set(emails) == set(addresses)
    for address, delivery in emails.items():
        if address in unknown:
            assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
            assert delivery.last_error == PERMANENT
        else:
            assert (delivery.status, delivery.last_error) == (DeliveryStatus.SENT, "")
            assert delivery.attempts == (REFUSALS + 1 if address in busy else 1)
    # The server saw a permanent refusal's address once: it was never retried.
    assert {a: sink.attempts[a] for a in unknown} == dict.fromkeys(unknown, 1)
    assert sink.refused == dict.fromkeys(busy, REFUSALS) | dict.fromkeys(unknown, 1)
    per_address = Counter(a for mail in sink.messages() for a in mail.rcpt_tos)
    assert per_address == dict.fromkeys(set(addresses) - unknown, 1)

    # The sender's report lists the failures with the server's reason, and only them.
    browser = Client()
    browser.force_login(police)
    report = browser.get(reverse("notifications:alert_detail", args=[alert.pk]))
    assert report.status_code == 200
    failures = report.content.decode().split("<h2>Failures</h2>", 1)[1]
    for address, delivery in emails.items():
        assert (delivery.user.full_name in failures) == (address in unknown)
    assert failures.count(PERMANENT) == len(unknown)

    print(
        f"\nSMTP refusals: recipients={MEMBERS} sent={len(per_address)} failed={len(unknown)} "
        f"retried={ {a: emails[a].attempts for a in busy} } duplicates="
        f"{sum(n - 1 for n in per_address.values())} took={took:.1f}s"
    )


def test_an_account_e_mail_is_retried_only_to_those_still_owed_it(live):
    addresses = ["ok@example.org", "busy@example.org", "unknown@example.org", "late@example.org"]
    sink = RefusingSink(
        {
            "busy@example.org": ("DATA", TEMPORARY, REFUSALS),
            "unknown@example.org": ("RCPT", PERMANENT, None),
        }
    )

    with smtp_server(sink), worker_for(sink):
        with transaction.atomic():
            notice_services.notify_addresses(
                addresses=addresses,
                language="en",
                template="watch/request_declined",
                context={"area": "Marieholm", "reason": ""},
            )
        wait_for(lambda: len(sink.messages()) == 3, timeout=20)
        wait_for(lambda: not OutboundEmail.objects.filter(status__in=PENDING).exists())

    per_address = Counter(a for mail in sink.messages() for a in mail.rcpt_tos)
    assert per_address == {"ok@example.org": 1, "busy@example.org": 1, "late@example.org": 1}
    assert sink.attempts == {
        "ok@example.org": 1,
        "busy@example.org": REFUSALS + 1,
        "unknown@example.org": 1,
        "late@example.org": 1,
    }
    assert all(m.message["Subject"] == "Your request to join Marieholm" for m in sink.messages())
    assert dict(OutboundEmail.objects.values_list("to", "status")) == {
        "ok@example.org": DeliveryStatus.SENT,
        "busy@example.org": DeliveryStatus.SENT,
        "unknown@example.org": DeliveryStatus.FAILED,
        "late@example.org": DeliveryStatus.SENT,
    }
    print(f"\naccount e-mail: attempts={dict(sink.attempts)} delivered={dict(per_address)}")
