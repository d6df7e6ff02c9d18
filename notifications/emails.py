"""E-mail rendering and sending: each message in its recipient's language.

Messages go one at a time over one SMTP connection (``send_each``), so one
refused address is that address's failure alone, and a broken connection defers
exactly the messages that had not gone yet: a retry goes to those only.
"""

from __future__ import annotations

import contextlib
import smtplib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from notifications.models import OutboundEmail

T = TypeVar("T")
# The right-hand side of our Message-IDs (RFC 2606: never a real domain).
MESSAGE_ID_DOMAIN = "grannsamverkan.invalid"


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a message did not go: the SMTP reply code, if any, and the error text."""

    code: int | None
    error: str
    # Whether the server refused this message for good (5xx to RCPT or DATA).
    permanent: bool = False

    @property
    def reason(self) -> str:
        return f"{self.code or ''} {self.error}".strip()[:500]


def _refusal(error: smtplib.SMTPRecipientsRefused | smtplib.SMTPResponseException) -> Failure:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
    else:
        code, text = error.smtp_code, error.smtp_error
    detail = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    # 5xx is permanent (no such mailbox, rejected); 4xx is worth another try.
    return Failure(code, detail, permanent=500 <= code < 600)


def send_each(
    items: Sequence[T], build: Callable[[T], EmailMessage]
) -> Iterator[tuple[list[T], Failure | None]]:
    """Send ``build(item)`` for each item over one connection; yield what became of them.

    Yields ``([item], None)`` for each message the server accepted, ``([item],
    failure)`` for each it refused, and, once the connection cannot go on (or
    never opened), ``(the items not yet sent, failure)`` — a temporary failure.
    Each result is yielded before the next message is sent, so a caller that
    records it first loses at most the message in flight if its process dies.
    """
    if not items:
        return
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        yield list(items), Failure(getattr(error, "smtp_code", None), str(error))
        return
    try:
        for index, item in enumerate(items):
            try:
                connection.send_messages([build(item)])
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
                # smtplib has reset the transaction; the connection goes on (a 421
                # closes it, and the next message then ends the loop below).
                yield [item], _refusal(error)
            except (OSError, smtplib.SMTPException) as error:
                yield list(items[index:]), Failure(None, str(error) or type(error).__name__)
                return
            else:
                yield [item], None
    finally:
        # A connection that broke mid-batch may fail to close too; the results stand.
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()


def render_message(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text and HTML of ``templates/emails/<template>``, in the active language.

    A message is written once, as text; the HTML part is that text, escaped, in
    the shared layout (``emails/base.html``), so the two can never disagree.
    """
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    # render_to_string marks its result safe, but the text part is rendered with
    # autoescape off: as a plain str it is escaped in the HTML layout, not trusted.
    text = str.__str__(render_to_string(f"emails/{template}.txt", context))
    html = render_to_string("emails/base.html", {**context, "subject": subject, "text": text})
    return subject, text, html


def outbound_message(email: OutboundEmail) -> EmailMessage:
    """An account notice, rendered in its recipient's language.

    Its Message-ID is made from the row's id, so a resend after a crash is
    recognisable as the same message.
    """
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
        },
    )
    message.attach_alternative(html, "text/html")
    return message
