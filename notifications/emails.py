"""E-mail rendering and sending: each message in its recipient's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation


def render_message(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text and HTML of ``templates/emails/<template>``, in the active language.

    A message is written once, as text; the HTML part is that text, escaped, in
    the shared layout (``emails/base.html``), so the two can never disagree.
    """
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string("emails/base.html", {**context, "subject": subject, "text": text})
    return subject, text, html


def send_templated(
    *, template: str, recipients: list[dict[str, str]], context: dict[str, Any]
) -> int:
    """Send one message per recipient over a single SMTP connection; return how many went.

    ``recipients`` are dicts with ``email``, ``name`` and ``language``, so the task
    carrying them needs no database lookups and works for people without accounts.
    """
    messages = []
    for recipient in recipients:
        with translation.override(recipient.get("language") or settings.LANGUAGE_CODE):
            subject, text, html = render_message(
                template, {**context, "recipient": recipient, "site_url": settings.SITE_URL}
            )
        message = EmailMultiAlternatives(subject, text, to=[recipient["email"]])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
