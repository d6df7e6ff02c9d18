"""E-mail channel: a batch of alerts over one SMTP connection, text and HTML.

Messages go one at a time (``emails.send_each``), and each outcome is yielded,
and so recorded, before the next message is sent.

An alert reads the same for every member who has the same language (of the site,
and of the alert's text: notifications.alerts.languages) but for two links, so it is
rendered once per pair (a ``Letter``) and each member's links are filled in:
rendering took a fifth of a worker's time per e-mail when every message was rendered
on its own. A worker keeps the letters it rendered lately
(``letter``), since an alert to a municipality reaches it in many batches.

Each message carries a one-click unsubscribe (RFC 8058) for its kind and a
Message-ID made from the delivery id, so a receiving system can tell a resend
after a crash from a new message. What else a message carries comes from the
feature the alert belongs to, through ``register_attachments``: a meeting
invitation carries its meeting as an iCalendar file (``watch.community.meetings``).
"""

from __future__ import annotations

import dataclasses
import secrets
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from email.mime.base import MIMEBase
from typing import Any

from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from notifications import emails, verp
from notifications.alerts import selectors, sender
from notifications.alerts.models import Alert, Delivery, Kind
from notifications.channels import recipient
from notifications.outbox.pipeline import Outcome
from notifications.rendering import absolute, body_html, unsubscribe_token

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
    # The alert's title and text it carries, in their language.
    content: selectors.AlertText
    subject: str
    text: str
    html: str
    unsubscribe_url: str
    # None for a text that had to be encoded: such a letter is encoded per member.
    merge: emails.MailMerge | None

    @classmethod
    def render(cls, alert: Alert, language: str, text: selectors.AlertText | None = None) -> Letter:
        """In the site's ``language`` around the alert's ``text`` (its Swedish one if not
        given), laid out in its own language and direction (templates/emails/alert.html)."""
        text = text or selectors.swedish(alert)
        unsubscribe = absolute(reverse("notifications:unsubscribe", args=[_TOKEN]))
        with translation.override(language):
            context: dict[str, Any] = {
                "alert": alert,
                "text": text,
                "language": language,
                "site_name": settings.SITE_NAME,
                # Who it is from and where it went: the same for every member.
                "sender": alert.sender_line(),
                "sent_to": sender.areas_line(alert),
                "body_html": body_html(text.body),
                "inbox_url": absolute(reverse("notifications:inbox_entry", args=[_DELIVERY_ID])),
                # The same for every member; none for the warm-up's alert, which has no id.
                "answer_url": absolute(reverse("notifications:alert_answer", args=[alert.pk]))
                if alert.replies_allowed and alert.pk
                else "",
                "preferences_url": absolute(reverse("notifications:preferences")),
                "unsubscribe_url": unsubscribe,
            }
            subject = " ".join(render_to_string("emails/alert_subject.txt", context).split())
            plain = render_to_string("emails/alert.txt", context)
            html = render_to_string("emails/alert.html", context)
        letter = cls(alert, text, subject, plain, html, unsubscribe, merge=None)
        prototype = letter._message("recipient@example.invalid", _DELIVERY_ID, _TOKEN)
        merge = emails.MailMerge.of(prototype, [_DELIVERY_ID, _TOKEN], _PERSONAL)
        return dataclasses.replace(letter, merge=merge)

    def message(self, delivery: Delivery, attachment: MIMEBase | None = None) -> emails.MergedEmail:
        """The member's copy; one with an attachment (which may name them) is encoded whole."""
        user = recipient(delivery)
        token = unsubscribe_token(user.pk, self.alert.kind)
        message = self._message(user.email, str(delivery.pk), token)
        if attachment is not None:
            message.attach(attachment)
        elif self.merge is not None:
            message.encoded = self.merge.fill(
                user.email,
                {name: message.extra_headers[name] for name in _PERSONAL},
                {_DELIVERY_ID: str(delivery.pk), _TOKEN: token},
            )
        # Its own envelope sender, so a bounce names this delivery (notifications.verp).
        verp.set_return_path(message, verp.DELIVERY, delivery.pk)
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


def letter(alert: Alert, language: str, text: selectors.AlertText | None = None) -> Letter:
    """``Letter.render(alert, language, text)``, or the same letter rendered lately in this
    process.

    The oldest letter goes first when ``_RECENT_LETTERS`` are kept.
    """
    text = text or selectors.swedish(alert)
    key = (
        language,
        text,
        settings.SITE_URL,
        settings.SITE_NAME,
        *(field.value_from_object(alert) for field in _LETTER_FIELDS),
    )
    if (found := _recent.get(key)) is not None:
        return found
    rendered = Letter.render(alert, language, text)
    # Tasks run eagerly may share a threaded web process.
    with _recent_lock:
        if len(_recent) >= _RECENT_LETTERS:
            del _recent[next(iter(_recent))]
        _recent[key] = rendered
    return rendered


def warm_up(**_signal: object) -> None:
    """Render a blank alert in each language, touching no database.

    The first letter a process renders costs some 200 ms of CPU: importing the
    URLconf and building its reverse map in each language, compiling the templates,
    loading Markdown. A Celery worker does this once before it forks its pool (on
    ``worker_init``, connected in notifications/apps.py), so that its children do not
    each pay it on their first alert.
    """
    for language, _name in settings.LANGUAGES:
        Letter.render(Alert(kind=Kind.POLICE_ALERT, title="", body=""), language)


# Given a batch's alerts, for each alert id that has one, a function that makes the
# attachment for a recipient's address (called once per message: it may name them).
AttachmentSource = Callable[[Sequence[Alert]], Mapping[int, Callable[[str], MIMEBase]]]
_attachment_sources: list[AttachmentSource] = []


def register_attachments(source: AttachmentSource) -> None:
    """Let the feature an alert belongs to add a file to its e-mail copies.

    This module knows no feature: a meeting invitation's calendar file is registered by
    the meeting feature when the app is ready (watch/apps.py).
    """
    if source not in _attachment_sources:
        _attachment_sources.append(source)


def _attachments(alerts: Sequence[Alert]) -> dict[int, Callable[[str], MIMEBase]]:
    found: dict[int, Callable[[str], MIMEBase]] = {}
    for source in _attachment_sources:
        found |= source(alerts)
    return found


def send(deliveries: list[Delivery]) -> Iterator[list[Outcome]]:
    attachments = _attachments(list({d.alert_id: d.alert for d in deliveries}.values()))
    texts = selectors.delivery_texts(deliveries)
    letters: dict[tuple[int, str, str], Letter] = {}

    def message_for(delivery: Delivery) -> emails.MergedEmail:
        user = recipient(delivery)
        key = (delivery.alert_id, user.language, delivery.language)
        if key not in letters:
            text = texts[(delivery.alert_id, delivery.language)]
            letters[key] = letter(delivery.alert, user.language, text)
        attach = attachments.get(delivery.alert_id)
        return letters[key].message(delivery, attach(user.email) if attach else None)

    for group, failure in emails.send_each(deliveries, message_for):
        if failure is None:
            yield [Outcome(delivery.pk, ok=True) for delivery in group]
        else:
            yield [
                Outcome(delivery.pk, ok=False, permanent=failure.permanent, error=failure.reason)
                for delivery in group
            ]
