"""SMS channel: the alert shortened to fit, through the configured SMS backend, and the
provider's reports of delivery to the phone ("handset receipts").

Texts that are not a member's delivery — those to households on paper (watch.paper) —
go out through ``send_texts`` too, and register their rows for receipts
(``register_texts``): this module knows no feature.

Each message asks 46elks to report to a URL of its own whose last part is the row's id
(after its outbox's letter, for a registered one), signed (``receipt_url``), so a report
can only be about the message it was asked for: a guessed or altered URL is refused
before the database is asked anything. 46elks POSTs
``id`` (its own message id), ``status`` ("sent", "delivered" or "failed") and, when
delivered, ``delivered`` (UTC, "2018-07-31 12:45:31.393000"), and retries for hours
until it gets a 2xx answer; so a repeated report is answered 200 and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.alerts import selectors
from notifications.alerts.models import Alert, Channel, Delivery
from notifications.channels import recipient
from notifications.outbox.models import DeliveryStatus
from notifications.outbox.pipeline import Outcome
from notifications.rendering import absolute
from notifications.sms import backends as sms_backends
from notifications.sms import segments as sms_segments


def full_text(alert: Alert, text: selectors.AlertText | None = None) -> str:
    """The alert as one text, before it is shortened to fit: its ``text`` (the Swedish
    one if not given), and the prefix of an exercise in the active language.

    The composer counts the SMS this makes as the sender types (notifications.alerts).
    """
    text = text or selectors.swedish(alert)
    prefix = _("TEST: ") if alert.is_exercise else ""
    return f"{prefix}{text.title}\n{text.body}"


def text_for(delivery: Delivery, text: selectors.AlertText | None = None) -> str:
    """The member's text message: the alert in the delivery's language (``text``, if the
    caller has read it already), the rest in the member's."""
    if text is None:
        text = selectors.text_in(delivery.alert, delivery.language)
    with translation.override(recipient(delivery).language):
        whole = full_text(delivery.alert, text)
        link = absolute(reverse("notifications:inbox_entry", args=[delivery.pk]))
    return sms_segments.fit_to_segments(whole, link=link)


def send(deliveries: list[Delivery]) -> Iterator[list[Outcome]]:
    texts = selectors.delivery_texts(deliveries)
    yield send_texts(
        [
            sms_backends.SMSMessage(
                to=recipient(delivery).phone,
                body=text_for(delivery, texts[(delivery.alert_id, delivery.language)]),
                reference=str(delivery.pk),
                receipt_url=receipt_url(delivery.pk),
            )
            for delivery in deliveries
        ]
    )


def send_texts(messages: list[sms_backends.SMSMessage]) -> list[Outcome]:
    """Send ``messages`` in one batch, each referring to its outbox row by id."""
    return [
        Outcome(
            int(result.message.reference or 0),
            ok=result.ok,
            permanent=result.permanent,
            error=result.error,
            retry_after=result.retry_after,
        )
        for result in sms_backends.get_backend().send_messages(messages)
    ]


# --- Handset receipts ---------------------------------------------------------------

_SIGNER = signing.Signer(salt="notifications.sms.receipts")

STATUSES = frozenset({"sent", "delivered", "failed"})
PROVIDER_ID_MAX_LENGTH = 64

# Recorded on the delivery, for the sender's report.
NOT_ON_THE_PHONE = gettext_lazy("The SMS provider reports that the text did not reach the phone.")


@dataclass(frozen=True)
class Receipt:
    delivery_id: int
    status: str
    delivered_at: dt.datetime | None
    # The outbox it is about: "" for a member's delivery, else a registered letter.
    outbox: str = ""


# The texts receipts may be about, by the letter their ids are signed with: a member's
# delivery has none (so links in texts sent before others were added still work).
_texts: dict[str, Callable[[], QuerySet[Any]]] = {
    "": lambda: Delivery.objects.filter(channel=Channel.SMS)
}


def register_texts(letter: str, rows: Callable[[], QuerySet[Any]]) -> None:
    """Let a feature's outbox of texts get handset receipts: ``rows`` are its texts, each
    with a ``delivered_at``; their receipt URLs are ``receipt_url(pk, letter)``."""
    if not (len(letter) == 1 and letter.isalpha()):
        raise ValueError(f"an outbox's letter is one letter, not {letter!r}")
    _texts[letter] = rows


class BadReceipt(ValueError):
    """A report that is not one of the provider's: nothing is changed."""


class TooEarly(Exception):
    """A report about a text whose sending is not recorded yet: nothing is changed."""


def receipt_url(pk: int, outbox: str = "") -> str | None:
    """Where the provider reports on text ``pk`` of ``outbox`` (a member's delivery by
    default); None when receipts are off."""
    if not settings.SMS_DELIVERY_RECEIPTS:
        return None
    token = _SIGNER.sign(f"{outbox}{pk}")
    return absolute(reverse("notifications:sms_receipt", args=[token]))


def text_of(token: str) -> tuple[str, int] | None:
    """The outbox and id a receipt URL's token was signed for; None if forged."""
    try:
        value = _SIGNER.unsign(token)
    except signing.BadSignature:
        return None
    outbox = value[:1] if value[:1].isalpha() else ""
    digits = value[len(outbox) :]
    if outbox not in _texts or not (digits.isascii() and digits.isdigit()):
        return None
    return outbox, int(digits)


def parse(outbox: str, delivery_id: int, fields: dict[str, str]) -> Receipt:
    """The provider's documented fields, or BadReceipt."""
    status = fields.get("status", "")
    provider_id = fields.get("id", "")
    if status not in STATUSES:
        raise BadReceipt(f"unknown status {status[:20]!r}")
    if not provider_id or len(provider_id) > PROVIDER_ID_MAX_LENGTH:
        raise BadReceipt("no message id")
    delivered_at = None
    if status == "delivered":
        try:
            delivered_at = dt.datetime.fromisoformat(fields.get("delivered", "")).replace(
                tzinfo=dt.UTC
            )
        except ValueError:
            raise BadReceipt("unreadable delivery time") from None
        # A phone's report from the future would sort the report wrongly; the time
        # of arrival is as good.
        delivered_at = min(delivered_at, timezone.now())
    return Receipt(delivery_id, status, delivered_at, outbox)


def record(receipt: Receipt) -> bool:
    """Record what the provider said of a text; False when there was nothing to change
    (already recorded, not a text message, or no longer there).

    A report can overtake the worker that sent the text and has not yet recorded it
    as sent: "delivered" is recorded all the same; "failed" raises TooEarly, to be
    reported again, since the worker's "sent" would otherwise overwrite it.
    """
    text = _texts[receipt.outbox]().filter(pk=receipt.delivery_id, delivered_at__isnull=True)
    if receipt.status == "delivered":
        return bool(
            text.filter(status__in=[DeliveryStatus.SENDING, DeliveryStatus.SENT]).update(
                delivered_at=receipt.delivered_at
            )
        )
    if receipt.status == "failed":
        if text.filter(status=DeliveryStatus.SENT).update(
            status=DeliveryStatus.FAILED, last_error=str(NOT_ON_THE_PHONE)
        ):
            return True
        if text.filter(status=DeliveryStatus.SENDING).exists():
            raise TooEarly
    return False  # "sent": the provider handed it on, which the delivery already says.
