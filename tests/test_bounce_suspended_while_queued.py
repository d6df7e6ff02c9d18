"""A message queued before its address was suspended is not sent: the send task skips it
with the reason, for alert e-mail and account notices alike, in one query per batch."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from notifications.alerts.delivery import send_deliveries
from notifications.alerts.models import Delivery
from notifications.notices.models import BouncingAddress, OutboundEmail
from notifications.notices.services import SUSPENDED_ERROR, address_hash, send_outbound_emails
from tests.factories import member_of, sent_public_alert

pytestmark = pytest.mark.django_db


def suspend(user: User) -> None:
    BouncingAddress.objects.create(
        address_hash=address_hash(user.email.upper()),
        user=user,
        hard_bounces=3,
        suspended_at=timezone.now(),
    )


def queued_emails(alert, users: list[User]) -> list[int]:  # type: ignore[no-untyped-def]
    area = alert.areas.first()
    return [
        Delivery.objects.create(alert=alert, user=user, area=area, channel="email").pk
        for user in users
    ]


def queued_notices(users: list[User]) -> list[int]:
    return [
        OutboundEmail.objects.create(
            to=user.email,
            user=user,
            language="sv",
            template="watch/request_declined",
            context={"area": "Marieholm", "reason": ""},
        ).pk
        for user in users
    ]


def test_alert_email_to_an_address_suspended_while_it_waited_is_skipped(police, area):
    anna, bertil = member_of(area), member_of(area)
    ids = queued_emails(sent_public_alert(police, area), [anna, bertil])
    suspend(anna)

    send_deliveries("email", ids)

    assert [message.to for message in mail.outbox] == [[bertil.email]]
    rows = Delivery.objects.filter(pk__in=ids).order_by("pk")
    assert list(rows.values_list("status", "reason")) == [
        ("skipped", "address_suspended"),
        ("sent", ""),
    ]
    assert rows.first().sent_at is None  # type: ignore[union-attr]


def test_a_notice_to_an_address_suspended_while_it_waited_is_skipped(area):
    anna, bertil = member_of(area), member_of(area)
    ids = queued_notices([anna, bertil])
    suspend(anna)

    send_outbound_emails(ids)

    assert [message.to for message in mail.outbox] == [[bertil.email]]
    rows = OutboundEmail.objects.filter(pk__in=ids).order_by("pk")
    assert list(rows.values_list("status", "last_error")) == [
        ("skipped", SUSPENDED_ERROR),
        ("sent", ""),
    ]
    assert rows.first().sent_at is None  # type: ignore[union-attr]


def test_a_skipped_row_is_not_queued_again_by_the_sweep(police, area):
    anna = member_of(area)
    ids = queued_emails(sent_public_alert(police, area), [anna]) + queued_notices([anna])
    suspend(anna)
    send_deliveries("email", ids[:1])
    send_outbound_emails(ids[1:])

    assert not Delivery.objects.filter(status__in=["queued", "sending"]).exists()
    assert not OutboundEmail.objects.filter(status__in=["queued", "sending"]).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("send", ["deliveries", "notices"])
def test_skipping_costs_the_same_queries_for_one_row_as_for_many(police, area, send):
    """Set-based: the batch asks once which addresses are suspended, and skips them in one
    update, however many there are."""
    alert = sent_public_alert(police, area)
    members = [member_of(area) for _n in range(6)]
    for user in members:
        suspend(user)

    def run(users: list[User]) -> int:
        if send == "deliveries":
            ids = queued_emails(alert, users)
            with CaptureQueriesContext(connection) as queries:
                send_deliveries("email", ids)
        else:
            ids = queued_notices(users)
            with CaptureQueriesContext(connection) as queries:
                send_outbound_emails(ids)
        return len(queries)

    assert run(members[:1]) == run(members[1:])
    assert mail.outbox == []
