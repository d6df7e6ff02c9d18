"""E-mail channel: a batch of alerts over one SMTP connection, text and HTML.

Each message carries a one-click unsubscribe (RFC 8058) for its kind and a
Message-ID made from the delivery id, so a receiving system can tell a resend
after a crash from a new message.
"""

from __future__ import annotations

import contextlib
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from notifications.channels import Outcome
from notifications.models import Delivery
from notifications.rendering import absolute, body_html, unsubscribe_url

_DOMAIN = "grannsamverkan.invalid"


def message_for(delivery: Delivery) -> EmailMultiAlternatives:
    alert, user = delivery.alert, delivery.user
    unsubscribe = unsubscribe_url(user.pk, alert.kind)
    with translation.override(user.language):
        context: dict[str, Any] = {
            "alert": alert,
            "user": user,
            "body_html": body_html(alert.body),
            "inbox_url": absolute(reverse("notifications:inbox_entry", args=[delivery.pk])),
            "preferences_url": absolute(reverse("notifications:preferences")),
            "unsubscribe_url": unsubscribe,
        }
        subject = " ".join(render_to_string("emails/alert_subject.txt", context).split())
        text = render_to_string("emails/alert.txt", context)
        html = render_to_string("emails/alert.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[user.email],
        headers={
            "Message-ID": f"<delivery-{delivery.pk}@{_DOMAIN}>",
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _failure(delivery_id: int, error: Exception) -> Outcome:
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = next(iter(error.recipients.values()))[0]
    # 5xx is permanent (no such mailbox, rejected); 4xx and connection trouble are not.
    permanent = code is not None and 500 <= code < 600
    return Outcome(delivery_id, ok=False, permanent=permanent, error=f"{code or ''} {error}"[:500])


def send(deliveries: list[Delivery]) -> list[Outcome]:
    outcomes: list[Outcome] = []
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        return [_failure(delivery.pk, error) for delivery in deliveries]
    try:
        for index, delivery in enumerate(deliveries):
            try:
                connection.send_messages([message_for(delivery)])
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                # smtplib has already reset the transaction; the connection goes on.
                outcomes.append(_failure(delivery.pk, error))
            except (OSError, smtplib.SMTPException) as error:
                # The connection is gone: this one and the rest go back to the queue.
                outcomes += [_failure(d.pk, error) for d in deliveries[index:]]
                break
            else:
                outcomes.append(Outcome(delivery.pk, ok=True))
    finally:
        # A connection that broke mid-batch may fail to close too; the outcomes stand.
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()
    return outcomes
