"""Every alert and account e-mail (allauth's too) goes out with a return path of its own
(VERP), signed, while its From field stays the site's sender: checked on a real SMTP
server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from email.utils import parseaddr

import pytest
from django.db import transaction
from django.urls import reverse

from notifications import verp
from notifications.alerts import services as alert_services
from notifications.alerts.models import Delivery
from notifications.emails import MESSAGE_ID_DOMAIN
from notifications.notices import services as notice_services
from notifications.notices.models import OutboundEmail
from tests.bounces import BOUNCE_DOMAIN, enable_bounces
from tests.factories import alert_for, member_of
from tests.live import SMTPSink, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def sink(settings) -> Iterator[SMTPSink]:
    with smtp_server() as running:
        settings.EMAIL_BACKEND = "notifications.emails.SMTPBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = running.port
        yield running


def test_an_alert_e_mail_has_its_own_return_path_and_the_sites_from(
    sink, settings, police, area, django_capture_on_commit_callbacks
):
    enable_bounces(settings)
    members = [member_of(area), member_of(area)]
    alert = alert_for(police, area)

    with django_capture_on_commit_callbacks(execute=True):
        alert_services.send_alert(actor=police, alert=alert)

    received = {mail.rcpt_tos[0]: mail for mail in sink.messages()}
    assert sorted(received) == sorted(member.email for member in members)
    for member in members:
        delivery = Delivery.objects.get(alert=alert, user=member, channel="email")
        mail = received[member.email]
        assert mail.mail_from == verp.return_path(verp.DELIVERY, delivery.pk)
        assert mail.mail_from.startswith("bounces+d")
        assert mail.mail_from.endswith(f"@{BOUNCE_DOMAIN}")
        assert mail.message["From"] == settings.DEFAULT_FROM_EMAIL
        assert "Return-Path" not in mail.message  # the receiving server writes that one


def test_an_account_notice_has_its_own_return_path(
    sink, settings, django_capture_on_commit_callbacks
):
    enable_bounces(settings)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notice_services.notify_addresses(
            addresses=["anna@example.org"],
            language="en",
            template="watch/request_declined",
            context={"area": "Marieholm", "reason": ""},
        )

    (mail,) = sink.messages()
    row = OutboundEmail.objects.get()
    assert mail.mail_from == verp.return_path(verp.OUTBOUND, row.pk)
    assert parseaddr(str(mail.message["From"]))[1] == parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def test_an_allauth_e_mail_has_its_own_return_path_and_is_recorded(sink, settings, client, member):
    enable_bounces(settings)

    client.post(reverse("account_reset_password"), {"email": member.email})

    (mail,) = sink.messages()
    row = OutboundEmail.objects.get()
    assert (row.to, row.user, row.template, row.status) == (
        member.email,
        member,
        "account/email/password_reset_key",
        "sent",
    )
    assert mail.mail_from == verp.return_path(verp.OUTBOUND, row.pk)
    assert parseaddr(str(mail.message["From"]))[1] == parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    assert mail.message["Message-ID"] == f"<outbound-{row.pk}@{MESSAGE_ID_DOMAIN}>"
    assert "/password/reset/key/" in mail.message.get_body(("plain",)).get_content()


def test_without_a_bounce_domain_the_envelope_sender_is_the_sites(
    sink, settings, police, area, django_capture_on_commit_callbacks
):
    settings.BOUNCE_ADDRESS_DOMAIN = ""
    member_of(area)

    with django_capture_on_commit_callbacks(execute=True):
        alert_services.send_alert(actor=police, alert=alert_for(police, area))

    (mail,) = sink.messages()
    assert mail.mail_from == parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def test_a_return_path_is_short_lower_case_and_only_ours(settings):
    enable_bounces(settings)
    address = verp.return_path(verp.DELIVERY, 9_223_372_036_854_775_807)
    assert address is not None
    local = address.rpartition("@")[0]

    assert len(local) <= 64
    assert address == address.lower()
    assert verp.read(address) == (verp.DELIVERY, 9_223_372_036_854_775_807)
    assert verp.read(address.upper()) == (verp.DELIVERY, 9_223_372_036_854_775_807)
    # Another id, the other kind, another site's key, another domain: none reads.
    token = verp.token(verp.DELIVERY, 41)
    assert verp.read(f"bounces+d42-{token.partition('-')[2]}@{BOUNCE_DOMAIN}") is None
    assert verp.read(f"bounces+o41-{token.partition('-')[2]}@{BOUNCE_DOMAIN}") is None
    assert verp.read(f"bounces+{token}@elsewhere.example") is None
    ours = settings.SECRET_KEY
    settings.SECRET_KEY = "another site's key, long enough to be a real one " * 2
    assert verp.read(f"bounces+{token}@{BOUNCE_DOMAIN}") is None
    # A rotated key still reads the bounces of mail sent before.
    settings.SECRET_KEY_FALLBACKS = [ours]
    assert verp.read(f"bounces+{token}@{BOUNCE_DOMAIN}") == (verp.DELIVERY, 41)
