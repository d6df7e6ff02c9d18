"""A delivery status notification (RFC 3464) delivered to the real bounce receiver marks
exactly the message its return path names failed, with the remote reason, and the
sender's report counts it apart from refusals at send time. A delay or a class 4 status
changes nothing; a replayed report changes nothing more."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils.html import escape

from notifications import verp
from notifications.alerts import selectors
from notifications.alerts import services as alert_services
from notifications.alerts.models import Delivery
from notifications.notices.models import BouncingAddress, OutboundEmail
from tests.bounces import (
    bounce_receiver,
    deliver,
    dsn,
    enable_bounces,
    sent_email,
    snapshot,
)
from tests.conftest import client_for
from tests.factories import alert_for, member_of, sent_public_alert
from tests.live import SMTPSink, smtp_server

pytestmark = pytest.mark.django_db(transaction=True)

REASON = "550 5.1.1 <anna@example.org>: Recipient address rejected: User unknown"


@pytest.fixture
def port(settings) -> Iterator[int]:
    enable_bounces(settings)
    with bounce_receiver() as running:
        yield running


@pytest.fixture
def sink(settings) -> Iterator[SMTPSink]:
    with smtp_server() as running:
        settings.EMAIL_BACKEND = "notifications.emails.SMTPBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = running.port
        yield running


def test_a_dsn_for_a_sent_alert_marks_exactly_that_delivery_failed(
    port, sink, police, area, django_capture_on_commit_callbacks
):
    anna = member_of(area, email="anna@example.org")
    bertil = member_of(area, email="bertil@example.org")
    alert = alert_for(police, area)
    with django_capture_on_commit_callbacks(execute=True):
        alert_services.send_alert(actor=police, alert=alert)
    (to_anna,) = [mail for mail in sink.messages() if mail.rcpt_tos == (anna.email,)]
    before = {d.pk: (d.status, d.last_error) for d in Delivery.objects.exclude(user=anna)}

    # The remote server returns the message to its envelope sender.
    replies = deliver(port, to_anna.mail_from, dsn(return_path=to_anna.mail_from))

    assert (replies.rcpt, replies.data) == (250, 250)
    bounced = Delivery.objects.get(alert=alert, user=anna, channel="email")
    assert (bounced.status, bounced.last_error) == ("failed", REASON)
    assert bounced.bounced_at is not None
    # Nothing else: not Anna's inbox entry, not Bertil's messages.
    assert Delivery.objects.get(alert=alert, user=anna, channel="inapp").status == "sent"
    assert {d.pk: (d.status, d.last_error) for d in Delivery.objects.exclude(user=anna)} == before
    assert Delivery.objects.get(alert=alert, user=bertil, channel="email").bounced_at is None
    # One hard bounce counted against her address; far from suspended.
    assert list(BouncingAddress.objects.values_list("user", "hard_bounces", "suspended_at")) == [
        (anna.pk, 1, None)
    ]


def test_the_report_counts_bounces_apart_from_refusals(port, police, area):
    alert = sent_public_alert(police, area)
    bounced = sent_email(alert, member_of(area, email="anna@example.org"))
    sent_email(alert, member_of(area), status="failed", last_error="550 5.1.1 No such mailbox")
    sent_email(alert, member_of(area))

    deliver(port, verp.return_path(verp.DELIVERY, bounced.pk) or "", dsn())

    report = selectors.report(alert)
    assert (report["messages_failed"], report["messages_refused"]) == (2, 1)
    assert report["messages_bounced"] == 1
    page = client_for(police).get(reverse("notifications:alert_detail", args=[alert.pk]))
    text = " ".join(page.content.decode().split())
    assert "1 were refused when they were sent and 1 bounced back afterwards" in text
    # In words, with the server's own folded under them.
    assert "Bounced: The e-mail address does not exist: the member needs to correct it." in text
    assert escape(REASON) in text


@pytest.mark.parametrize(
    ("action", "status"),
    [("delayed", "4.4.7"), ("failed", "4.2.2"), ("delivered", "2.0.0"), ("relayed", "2.0.0")],
)
def test_a_delay_or_a_temporary_status_changes_nothing(port, police, area, action, status):
    delivery = sent_email(
        sent_public_alert(police, area), member_of(area, email="anna@example.org")
    )
    before = snapshot()

    replies = deliver(
        port,
        verp.return_path(verp.DELIVERY, delivery.pk) or "",
        dsn(action=action, status=status, diagnostic="smtp; 452 4.2.2 Mailbox full"),
    )

    assert replies.data == 250  # read, and nothing to do
    assert snapshot() == before


def test_a_replayed_dsn_changes_nothing_more(port, police, area):
    delivery = sent_email(
        sent_public_alert(police, area), member_of(area, email="anna@example.org")
    )
    address = verp.return_path(verp.DELIVERY, delivery.pk) or ""
    deliver(port, address, dsn())
    after_first = snapshot()

    for _n in range(3):
        assert deliver(port, address, dsn(diagnostic="smtp; 550 5.7.1 Other words")).data == 250

    assert snapshot() == after_first
    assert BouncingAddress.objects.get().hard_bounces == 1


def test_a_dsn_for_an_account_notice_marks_it_failed(port):
    row = OutboundEmail.objects.create(
        to="anna@example.org", language="en", template="watch/request_declined", status="sent"
    )

    deliver(port, verp.return_path(verp.OUTBOUND, row.pk) or "", dsn())

    row.refresh_from_db()
    assert (row.status, row.last_error) == ("failed", REASON)
    assert row.bounced_at is not None
    # An address without an account is counted too, by its hash alone.
    assert list(BouncingAddress.objects.values_list("user", "hard_bounces")) == [(None, 1)]


def test_a_dsn_about_an_address_the_member_has_since_changed_is_not_counted(port, police, area):
    delivery = sent_email(sent_public_alert(police, area), member_of(area, email="new@example.org"))

    deliver(port, verp.return_path(verp.DELIVERY, delivery.pk) or "", dsn())

    delivery.refresh_from_db()
    assert delivery.status == "failed"  # that message did bounce
    assert not BouncingAddress.objects.exists()  # but not at the address she has now
