"""After ``BOUNCE_SUSPEND_AFTER`` hard bounces (reported to the real receiver) an address is
suspended: no more alert e-mail or account notice goes to it, the preview counts it,
and the member is told on every page and by SMS when their number is verified.
Correcting or confirming the address lifts the suspension."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.db import transaction
from django.urls import reverse

from notifications import verp
from notifications.alerts import services as alert_services
from notifications.alerts.models import Delivery
from notifications.alerts.planning import preview
from notifications.notices import services as notice_services
from notifications.notices.models import BouncingAddress, OutboundEmail
from notifications.sms import backends as sms_backends
from tests.bounces import bounce_receiver, deliver, dsn, enable_bounces, sent_email
from tests.conftest import client_for
from tests.factories import alert_for, member_of, sent_public_alert, verified_phone

pytestmark = pytest.mark.django_db(transaction=True)

HOME = reverse("watch:home")


@pytest.fixture
def port(settings) -> Iterator[int]:
    enable_bounces(settings)
    with bounce_receiver() as running:
        yield running


@pytest.fixture
def anna(area):
    return member_of(area, email="anna@example.org", full_name="Anna Andersson")


def bounce(port: int, police, area, user, times: int) -> None:  # type: ignore[no-untyped-def]
    """``times`` alerts to ``user`` bounced, each reported once."""
    for _n in range(times):
        delivery = sent_email(sent_public_alert(police, area), user)
        assert deliver(port, verp.return_path(verp.DELIVERY, delivery.pk) or "", dsn()).data == 250


def email_outcome(alert, user, capture):  # type: ignore[no-untyped-def]
    with capture(execute=True):
        alert_services.send_alert(actor=alert.author, alert=alert)
    delivery = Delivery.objects.get(alert=alert, user=user, channel="email")
    return delivery.status, delivery.reason


def test_two_bounces_suspend_nothing(port, police, area, anna, django_capture_on_commit_callbacks):
    bounce(port, police, area, anna, 2)

    assert BouncingAddress.objects.get(user=anna).suspended_at is None
    outcome = email_outcome(alert_for(police, area), anna, django_capture_on_commit_callbacks)
    assert outcome == ("sent", "")
    assert 'id="email-suspended"' not in client_for(anna).get(HOME).content.decode()


def test_the_third_bounce_suspends_the_address_and_the_next_alert_skips_it(
    port, police, area, anna, django_capture_on_commit_callbacks
):
    verified_phone(anna, "+46701740650")
    others = member_of(area)

    bounce(port, police, area, anna, 3)

    row = BouncingAddress.objects.get(user=anna)
    assert (row.hard_bounces, row.suspended_at is not None) == (3, True)
    # Told by SMS, once, with where to correct it.
    (text,) = sms_backends.outbox
    assert text.to == "+46701740650"
    assert "anna@example.org" in text.body
    assert reverse("account_email") in text.body
    # The preview counts it, and the dispatch skips her e-mail alone.
    alert = alert_for(police, area)
    planned = preview(alert, dt.datetime.now(tz=dt.UTC))
    assert planned.channels["email"] == {"send": 1, "address_suspended": 1}
    check = client_for(police).get(reverse("notifications:alert_detail", args=[alert.pk]))
    row_html = check.content.decode().split("E-mail address suspended (bounces)</th>")[1]
    assert row_html.split("</tr>")[0].startswith(
        '<td role="cell" class="number" data-label="E-mail">1</td>'
    )
    assert email_outcome(alert, anna, django_capture_on_commit_callbacks) == (
        "skipped",
        "address_suspended",
    )
    assert Delivery.objects.get(alert=alert, user=others, channel="email").status == "sent"
    assert Delivery.objects.get(alert=alert, user=anna, channel="inapp").status == "sent"
    # Every page tells her, with a link to correct it.
    page = client_for(anna).get(HOME).content.decode()
    assert 'id="email-suspended"' in page
    assert reverse("account_email") in page.split('id="email-suspended"')[1]
    # A fourth bounce texts her no more.
    bounce(port, police, area, anna, 1)
    assert len(sms_backends.outbox) == 1


def test_without_a_verified_number_she_is_told_on_the_site_only(port, police, area, anna):
    anna.phone = "+46701740650"
    anna.save(update_fields=["phone"])  # not verified

    bounce(port, police, area, anna, 3)

    assert sms_backends.outbox == []
    assert 'id="email-suspended"' in client_for(anna).get(HOME).content.decode()


def test_no_account_notice_is_written_to_a_suspended_address(
    port, police, area, anna, django_capture_on_commit_callbacks
):
    bounce(port, police, area, anna, 3)
    bertil = member_of(area)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notice_services.notify_users(
            users=[anna, bertil],
            template="watch/request_declined",
            context={"area": "Marieholm", "reason": ""},
        )

    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [bertil.email]


def test_a_new_address_lifts_the_suspension(
    port, police, area, anna, django_capture_on_commit_callbacks
):
    bounce(port, police, area, anna, 3)

    anna.email = "anna.andersson@example.org"
    anna.save(update_fields=["email"])

    assert 'id="email-suspended"' not in client_for(anna).get(HOME).content.decode()
    outcome = email_outcome(alert_for(police, area), anna, django_capture_on_commit_callbacks)
    assert outcome == ("sent", "")


def test_confirming_the_address_again_lifts_the_suspension(port, police, area, anna):
    bounce(port, police, area, anna, 3)
    address = EmailAddress.objects.get(user=anna, email=anna.email)

    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    assert not BouncingAddress.objects.exists()
    assert 'id="email-suspended"' not in client_for(anna).get(HOME).content.decode()
