"""allauth's e-mails (confirmation, password reset, sign-in code) go through the account
notices' outbox: sent at once as allauth would, recorded, retried after a temporary
refusal, and their text — which holds a link or a code — not kept once they are final."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.notices import services as notice_services
from notifications.notices.models import BouncingAddress, OutboundEmail
from notifications.notices.services import RENDERED, address_hash
from tests import mail_backends

pytestmark = pytest.mark.django_db

RESET = reverse("account_reset_password")


@pytest.fixture
def refusing(settings) -> Iterator[None]:
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingBackend"
    mail_backends.reset()
    yield
    mail_backends.reset()


def test_a_sent_reset_is_recorded_without_its_link(client, member):
    client.post(RESET, {"email": member.email})

    (message,) = mail.outbox
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts, row.user) == ("sent", 1, member)
    assert (
        message.extra_headers["Message-ID"]
        == f"<outbound-{row.pk}@{notice_services.MESSAGE_ID_DOMAIN}>"
    )
    assert "/password/reset/key/" in message.body
    assert row.context == {}  # the link went out, and is not kept


def test_a_temporarily_refused_reset_is_sent_again_with_the_same_text(client, member, refusing):
    mail_backends.REFUSE[member.email] = (451, 1)

    client.post(RESET, {"email": member.email})

    row = OutboundEmail.objects.get()
    assert (row.status, mail.outbox) == ("queued", [])
    assert row.next_attempt_at is not None
    kept = row.context[RENDERED]["text"]
    assert "/password/reset/key/" in kept

    OutboundEmail.objects.filter(pk=row.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    notice_services.send_outbound_emails([row.pk])

    row.refresh_from_db()
    (message,) = mail.outbox
    assert (row.status, row.attempts, row.context) == ("sent", 2, {})
    assert message.body == kept


def test_a_refused_reset_does_not_keep_its_link(client, member, refusing):
    mail_backends.REFUSE[member.email] = (550, None)

    client.post(RESET, {"email": member.email})

    row = OutboundEmail.objects.get()
    assert (row.status, row.context, mail.outbox) == ("failed", {}, [])


def test_a_suspended_address_still_gets_what_its_owner_asks_for(client, member):
    """Confirming the address again is how a suspension is lifted, so the person must get
    the e-mail they asked for; notices they did not ask for stay held back."""
    BouncingAddress.objects.create(
        address_hash=address_hash(member.email),
        user=member,
        hard_bounces=3,
        suspended_at=timezone.now(),
    )

    client.post(RESET, {"email": member.email})

    assert [message.to for message in mail.outbox] == [[member.email]]
    assert OutboundEmail.objects.get().status == "sent"
