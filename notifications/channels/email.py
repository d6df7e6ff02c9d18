"""E-mail channel: a batch of alerts over one SMTP connection, text and HTML.

Messages go one at a time (``emails.send_each``), and each outcome is yielded,
and so recorded, before the next message is sent.

Each message carries a one-click unsubscribe (RFC 8058) for its kind and a
Message-ID made from the delivery id, so a receiving system can tell a resend
after a crash from a new message. A meeting invitation carries the meeting as an
iCalendar attachment (``watch.ical``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from notifications import emails
from notifications.channels import Outcome
from notifications.models import Delivery
from notifications.rendering import absolute, body_html, unsubscribe_url
from watch import ical
from watch.models import Meeting


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
            "Message-ID": f"<delivery-{delivery.pk}@{emails.MESSAGE_ID_DOMAIN}>",
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    if alert.meeting is not None:
        message.attach(ical.invitation_attachment(alert.meeting, attendee=user.email))
    return message


def _load_meetings(deliveries: list[Delivery]) -> None:
    """The batch's meetings in one query, rather than one per message."""
    ids = {d.alert.meeting_id for d in deliveries if d.alert.meeting_id is not None}
    meetings = Meeting.objects.in_bulk(ids) if ids else {}
    for delivery in deliveries:
        if delivery.alert.meeting_id is not None:
            delivery.alert.meeting = meetings.get(delivery.alert.meeting_id)


def send(deliveries: list[Delivery]) -> Iterator[list[Outcome]]:
    _load_meetings(deliveries)
    for group, failure in emails.send_each(deliveries, message_for):
        if failure is None:
            yield [Outcome(delivery.pk, ok=True) for delivery in group]
        else:
            yield [
                Outcome(delivery.pk, ok=False, permanent=failure.permanent, error=failure.reason)
                for delivery in group
            ]
