"""Account notices (a decision on a join request, an appointment, an invitation).

``notify_users`` records one ``OutboundEmail`` per address in the transaction of
the change it reports, so a rolled-back change leaves no message and a committed
one always has its row; the rows are then claimed, sent, retried and swept like
deliveries (``notifications.outbox.pipeline``). allauth's e-mails take the same route
(``send_rendered``), rendered by allauth and sent at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from notifications import emails, verp
from notifications.emails import MESSAGE_ID_DOMAIN
from notifications.notices.models import BouncingAddress, OutboundEmail, StoppedAddress
from notifications.outbox import pipeline
from notifications.outbox.models import DeliveryStatus
from notifications.outbox.pipeline import Outcome

STOP_SALT = "notifications.stop-invitations"
FINAL = [DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED]
# Why a notice was not sent; an OutboundEmail has no reason column, and its error says it.
SUSPENDED_ERROR = "address suspended after bounces"
# The context key of a notice rendered elsewhere (send_rendered). It may hold a sign-in
# code or a password-reset link, so it is kept only until the notice is final.
RENDERED = "rendered"


def notify_users(*, users: Iterable[User], template: str, context: dict[str, Any]) -> None:
    """E-mail ``users`` a message from ``templates/emails/<template>``, each in their language.

    For one-off messages about a person's own account (a decision on their join
    request, an appointment). Call it inside the transaction of the change it
    reports: the messages are recorded with it (``OutboundEmail``), or not at all.
    """
    _record_notices(
        [
            OutboundEmail(
                to=user.email,
                user=user,
                language=user.language,
                template=template,
                context=context,
            )
            for user in users
        ]
    )


def notify_addresses(
    *, addresses: Iterable[str], language: str, template: str, context: dict[str, Any]
) -> None:
    """Like notify_users, for people who may have no account yet (invitations).

    Each message carries a one-click link that stops further ones (``stop_path``); an
    address that used it gets nothing, and the sender is not told.
    """
    wanted = [address for address in addresses if address]
    stopped = set(
        StoppedAddress.objects.filter(
            address_hash__in=[address_hash(address) for address in wanted]
        ).values_list("address_hash", flat=True)
    )
    _record_notices(
        [
            OutboundEmail(
                to=address,
                language=language,
                template=template,
                context={**context, "stop_path": stop_path(address)},
            )
            for address in wanted
            if address_hash(address) not in stopped
        ]
    )


def send_rendered(template_prefix: str, message: EmailMessage) -> None:
    """Send an e-mail rendered elsewhere (allauth's: a confirmation, a password reset, a
    sign-in code) as an account notice: recorded, with a return path of its own, retried.

    Sent now, in the request that asked for it, as allauth would, so the person finds it
    in their mailbox when the page says so; a temporary failure is retried later. It is
    sent to a suspended address too: the person asked for it a moment ago, and confirming
    the address again is how a suspension is lifted.
    """
    alternatives = message.alternatives if isinstance(message, EmailMultiAlternatives) else []
    html = next((str(content) for content, kind in alternatives if kind == "text/html"), "")
    rendered = {"subject": message.subject, "text": message.body, "html": html}
    language = translation.get_language() or settings.LANGUAGE_CODE
    rows = OutboundEmail.objects.bulk_create(
        OutboundEmail(
            to=address,
            user=User.objects.filter(email__iexact=address, is_active=True).first(),
            language=language,
            template=template_prefix,
            context={RENDERED: rendered},
        )
        for address in message.to
    )
    send_outbound_emails([row.pk for row in rows])


def address_hash(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def stop_path(address: str) -> str:
    """The one-click link that stops invitations to ``address`` (it does not expire)."""
    token = signing.dumps(address.strip().lower(), salt=STOP_SALT, compress=True)
    return reverse("notifications:stop_invitations", args=[token])


def read_stop_token(token: str) -> str:
    """The address of a stop link; raises ``signing.BadSignature`` if forged."""
    address = signing.loads(token, salt=STOP_SALT)
    if not isinstance(address, str) or "@" not in address:
        raise signing.BadSignature("not an address")
    return address


def stop_invitations(address: str) -> None:
    """No more invitations to ``address``; asking twice changes nothing."""
    StoppedAddress.objects.get_or_create(address_hash=address_hash(address))


def suspended_hashes(addresses: Iterable[str]) -> set[str]:
    """The ``address_hash`` of each of ``addresses`` that is suspended after hard bounces
    (notifications.bounces): one query however many."""
    return set(
        BouncingAddress.objects.filter(
            address_hash__in={address_hash(address) for address in addresses},
            suspended_at__isnull=False,
        ).values_list("address_hash", flat=True)
    )


def _record_notices(rows: list[OutboundEmail]) -> None:
    if not rows:
        return
    # An address suspended after hard bounces gets nothing.
    if suspended := suspended_hashes(row.to for row in rows):
        rows = [row for row in rows if address_hash(row.to) not in suspended]
        if not rows:
            return
    OutboundEmail.objects.bulk_create(rows)
    # Best effort: a row whose task never reached the broker is still queued, and the
    # sweep sends it.
    pipeline.queue_on_commit(OutboundEmail, rows)


def send_outbound_emails(ids: list[int]) -> None:
    """Send the queued, due notices among ``ids``, writing each outcome as it happens."""
    claimed = pipeline.claim(OutboundEmail, ids, timezone.now())
    if not claimed:
        return
    rows = list(OutboundEmail.objects.filter(pk__in=claimed).order_by("pk"))
    # Suspended after the notice was written: its bounces came in while it waited.
    if suspended := suspended_hashes(row.to for row in rows if RENDERED not in row.context):
        skipped = [
            row.pk
            for row in rows
            if RENDERED not in row.context and address_hash(row.to) in suspended
        ]
        pipeline.skip(OutboundEmail, skipped, last_error=SUSPENDED_ERROR)
        rows = [row for row in rows if row.pk not in skipped]
    pipeline.send(
        OutboundEmail,
        rows,
        (
            [
                Outcome(row.pk, ok=True)
                if failure is None
                else Outcome(row.pk, ok=False, permanent=failure.permanent, error=failure.reason)
                for row in group
            ]
            for group, failure in emails.send_each(rows, outbound_message)
        ),
    )
    OutboundEmail.objects.filter(
        pk__in=claimed, context__has_key=RENDERED, status__in=FINAL
    ).update(context={})


def render_message(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text and HTML of ``templates/emails/<template>``, in the active language.

    A message is written once, as text; the HTML part is that text, escaped, in
    the shared layout (``emails/base.html``), so the two can never disagree.
    """
    subject = render_subject(template, context)
    # render_to_string marks its result safe, but the text part is rendered with
    # autoescape off: as a plain str it is escaped in the HTML layout, not trusted.
    text = str.__str__(render_to_string(f"emails/{template}.txt", context))
    return subject, text, html_of(subject, text)


def render_subject(template: str, context: dict[str, Any]) -> str:
    """The subject of ``templates/emails/<template>``, on one line, in the active language."""
    return " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())


def html_of(subject: str, text: str) -> str:
    """The HTML part of a message written as text: the text in the site's e-mail look."""
    return render_to_string(
        "emails/base.html",
        {
            "subject": subject,
            "text": text,
            "site_name": settings.SITE_NAME,
            "language": translation.get_language(),
        },
    )


def outbound_message(email: OutboundEmail) -> EmailMessage:
    """An account notice, rendered in its recipient's language.

    Its Message-ID is made from the row's id, so a resend after a crash is
    recognisable as the same message.
    """
    if (rendered := email.context.get(RENDERED)) is not None:
        subject, text, html = rendered["subject"], rendered["text"], rendered["html"]
    else:
        with translation.override(email.language or settings.LANGUAGE_CODE):
            subject, text, html = render_message(
                email.template, {**email.context, "site_url": settings.SITE_URL}
            )
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[email.to],
        headers={
            "Message-ID": f"<outbound-{email.pk}@{MESSAGE_ID_DOMAIN}>",
            "Auto-Submitted": "auto-generated",
            **_stop_headers(email.context.get("stop_path")),
        },
    )
    if html:
        message.attach_alternative(html, "text/html")
    # Its own envelope sender, so a bounce names this row (notifications.verp).
    verp.set_return_path(message, verp.OUTBOUND, email.pk)
    return message


def _stop_headers(path: object) -> dict[str, str]:
    """RFC 8058 one-click headers for a message that carries a stop link."""
    if not isinstance(path, str) or not path:
        return {}
    return {
        "List-Unsubscribe": f"<{settings.SITE_URL}{path}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
