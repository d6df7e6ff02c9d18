"""A complaint (ARF, RFC 5965) delivered to the real bounce receiver turns e-mail of that
alert's kind off for the member who complained, and stops invitations to an address
that complained about one; asking again changes nothing more."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from notifications import verp
from notifications.alerts.models import Kind
from notifications.notices.models import OutboundEmail, StoppedAddress
from notifications.notices.services import address_hash, stop_path
from notifications.preferences.models import Preference
from tests.bounces import (
    BOUNCE_DOMAIN,
    bounce_receiver,
    complaint,
    deliver,
    enable_bounces,
    sent_email,
    snapshot,
)
from tests.factories import member_of, prefer, sent_public_alert

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def port(settings) -> Iterator[int]:
    enable_bounces(settings)
    with bounce_receiver() as running:
        yield running


def test_a_complaint_turns_that_kinds_e_mail_off(port, police, area):
    anna = member_of(area, email="anna@example.org")
    prefer(anna, Kind.INFORMATION, email=True, sms=False, inapp=True)
    delivery = sent_email(sent_public_alert(police, area, kind=Kind.WARNING), anna)

    replies = deliver(port, verp.return_path(verp.DELIVERY, delivery.pk) or "", complaint())

    assert replies.data == 250
    assert set(Preference.objects.filter(user=anna).values_list("kind", "email", "inapp")) == {
        (Kind.WARNING, False, True),
        (Kind.INFORMATION, True, True),  # other kinds as they were
    }
    delivery.refresh_from_db()
    assert delivery.status == "sent"  # it did arrive: a complaint is no bounce


def test_a_feedback_loop_to_the_plain_address_finds_the_message_in_the_report(port, police, area):
    anna = member_of(area, email="anna@example.org")
    delivery = sent_email(sent_public_alert(police, area, kind=Kind.TIP), anna)
    return_path = verp.return_path(verp.DELIVERY, delivery.pk) or ""

    deliver(port, f"bounces@{BOUNCE_DOMAIN}", complaint(return_path=return_path))

    assert list(Preference.objects.filter(user=anna).values_list("kind", "email")) == [
        (Kind.TIP, False)
    ]


def test_a_replayed_complaint_or_a_not_spam_report_changes_nothing(port, police, area):
    anna = member_of(area, email="anna@example.org")
    delivery = sent_email(sent_public_alert(police, area), anna)
    address = verp.return_path(verp.DELIVERY, delivery.pk) or ""
    deliver(port, address, complaint())
    after = snapshot()

    deliver(port, address, complaint())
    deliver(port, address, complaint(feedback_type="not-spam"))

    assert snapshot() == after


def test_a_complaint_about_an_invitation_stops_invitations(port):
    row = OutboundEmail.objects.create(
        to="anna@example.org",
        language="en",
        template="watch/household_invitation",
        status="sent",
        context={"stop_path": stop_path("anna@example.org")},
    )

    deliver(port, verp.return_path(verp.OUTBOUND, row.pk) or "", complaint())

    assert list(StoppedAddress.objects.values_list("address_hash", flat=True)) == [
        address_hash("anna@example.org")
    ]
