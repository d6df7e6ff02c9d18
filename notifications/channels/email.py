"""E-mail channel: a batch of alerts over one SMTP connection, text and HTML.

Messages go one at a time (``emails.send_each``), and each outcome is yielded,
and so recorded, before the next message is sent.

An alert reads the same for every member who has the same language but for two
links, so it is rendered once per language (a ``Letter``) and each member's links
are filled in: rendering took a fifth of a worker's time per e-mail when every
message was rendered on its own. A worker keeps the letters it rendered lately
(``letter``), since an alert to a municipality reaches it in many batches.

Each message carries a one-click unsubscribe (RFC 8058) for its kind and a
Message-ID made from the delivery id, so a receiving system can tell a resend
after a crash from a new message. A meeting invitation carries the meeting as an
iCalendar attachment (``watch.community.ical``).
"""

from __future__ import annotations

import dataclasses
import secrets
import threading
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from notifications import emails
from notifications.channels import Outcome
from notifications.models import Alert, Delivery, Kind
from notifications.rendering import absolute, body_html, unsubscribe_token
from watch.community import ical
from watch.community.models import Meeting

# Stand-ins for each member's delivery id and unsubscribe token while an alert is
# rendered: digits, so that they fit any URL pattern, and random per process, so that
# no alert's text can contain one.
_DELIVERY_ID = str(secrets.randbits(128))
_TOKEN = str(secrets.randbits(128))
# The header fields that differ per member, besides To.
_PERSONAL = ("Message-ID", "List-Unsubscribe")
# What a letter is kept by: any change to the alert renders it anew, but for the
# pipeline's own progress, which changes while it is sent and is not shown, and the
# target shape (not shown either, and a dict).
_LETTER_FIELDS = [
    field
    for field in Alert._meta.concrete_fields
    if field.name not in {"status", "dispatched_at", "sent_at"}
    and not isinstance(field, models.JSONField)
]
_RECENT_LETTERS = 32


@dataclasses.dataclass(frozen=True, slots=True)
class Letter:
    """An alert's e-mail in one language, with stand-ins for each member's links."""

    alert: Alert
    subject: str
    text: str
    html: str
    unsubscribe_url: str
    # None for a meeting invitation, whose attachment names its attendee, and for a
    # text that had to be encoded: those are encoded per member.
    merge: emails.MailMerge | None

    @classmethod
    def render(cls, alert: Alert, language: str) -> Letter:
        unsubscribe = absolute(reverse("notifications:unsubscribe", args=[_TOKEN]))
        with translation.override(language):
            context: dict[str, Any] = {
                "alert": alert,
                "language": language,
                "body_html": body_html(alert.body),
                "inbox_url": absolute(reverse("notifications:inbox_entry", args=[_DELIVERY_ID])),
                "preferences_url": absolute(reverse("notifications:preferences")),
                "unsubscribe_url": unsubscribe,
            }
            subject = " ".join(render_to_string("emails/alert_subject.txt", context).split())
            text = render_to_string("emails/alert.txt", context)
            html = render_to_string("emails/alert.html", context)
        letter = cls(alert, subject, text, html, unsubscribe, merge=None)
        if alert.meeting_id is not None:
            return letter
        prototype = letter._message("recipient@example.invalid", _DELIVERY_ID, _TOKEN)
        merge = emails.MailMerge.of(prototype, [_DELIVERY_ID, _TOKEN], _PERSONAL)
        return dataclasses.replace(letter, merge=merge)

    def message(self, delivery: Delivery) -> emails.MergedEmail:
        token = unsubscribe_token(delivery.user.pk, self.alert.kind)
        message = self._message(delivery.user.email, str(delivery.pk), token)
        if self.merge is not None:
            message.encoded = self.merge.fill(
                delivery.user.email,
                {name: message.extra_headers[name] for name in _PERSONAL},
                {_DELIVERY_ID: str(delivery.pk), _TOKEN: token},
            )
        elif self.alert.meeting is not None:
            message.attach(
                ical.invitation_attachment(self.alert.meeting, attendee=delivery.user.email)
            )
        return message

    def _message(self, address: str, delivery_id: str, token: str) -> emails.MergedEmail:
        def fill(text: str, token: str) -> str:
            return text.replace(_DELIVERY_ID, delivery_id).replace(_TOKEN, token)

        message = emails.MergedEmail(
            self.subject,
            fill(self.text, token),
            to=[address],
            headers={
                "Message-ID": f"<delivery-{delivery_id}@{emails.MESSAGE_ID_DOMAIN}>",
                "List-Unsubscribe": f"<{fill(self.unsubscribe_url, token)}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        )
        message.attach_alternative(fill(self.html, escape(token)), "text/html")
        return message


_recent: dict[tuple[Any, ...], Letter] = {}
_recent_lock = threading.Lock()


def letter(alert: Alert, language: str) -> Letter:
    """``Letter.render(alert, language)``, or the same letter rendered lately in this process.

    The oldest letter goes first when ``_RECENT_LETTERS`` are kept. A meeting
    invitation is rendered each time: its calendar file shows the meeting, which
    may have changed since.
    """
    if alert.meeting_id is not None:
        return Letter.render(alert, language)
    key = (
        language,
        settings.SITE_URL,
        *(field.value_from_object(alert) for field in _LETTER_FIELDS),
    )
    if (found := _recent.get(key)) is not None:
        return found
    rendered = Letter.render(alert, language)
    # Tasks run eagerly may share a threaded web process.
    with _recent_lock:
        if len(_recent) >= _RECENT_LETTERS:
            del _recent[next(iter(_recent))]
        _recent[key] = rendered
    return rendered


def warm_up() -> None:
    """Render a blank alert in each language, touching no database.

    The first letter a process renders costs some 200 ms of CPU: importing the
    URLconf and building its reverse map in each language, compiling the templates,
    loading Markdown. A Celery worker does this once before it forks its pool
    (config.celery_app), so that its children do not each pay it on their first
    alert.
    """
    for language, _name in settings.LANGUAGES:
        Letter.render(Alert(kind=Kind.POLICE_ALERT, title="", body=""), language)


def _load_meetings(deliveries: list[Delivery]) -> None:
    """The batch's meetings in one query, rather than one per message."""
    ids = {d.alert.meeting_id for d in deliveries if d.alert.meeting_id is not None}
    meetings = Meeting.objects.in_bulk(ids) if ids else {}
    for delivery in deliveries:
        if delivery.alert.meeting_id is not None:
            delivery.alert.meeting = meetings.get(delivery.alert.meeting_id)


def send(deliveries: list[Delivery]) -> Iterator[list[Outcome]]:
    _load_meetings(deliveries)
    letters: dict[tuple[int, str], Letter] = {}

    def message_for(delivery: Delivery) -> emails.MergedEmail:
        key = (delivery.alert_id, delivery.user.language)
        if key not in letters:
            letters[key] = letter(delivery.alert, delivery.user.language)
        return letters[key].message(delivery)

    for group, failure in emails.send_each(deliveries, message_for):
        if failure is None:
            yield [Outcome(delivery.pk, ok=True) for delivery in group]
        else:
            yield [
                Outcome(delivery.pk, ok=False, permanent=failure.permanent, error=failure.reason)
                for delivery in group
            ]
