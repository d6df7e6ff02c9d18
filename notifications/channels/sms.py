"""SMS channel: the alert shortened to fit, through the configured SMS backend."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.alerts.models import Alert, Delivery
from notifications.channels import recipient
from notifications.outbox.pipeline import Outcome
from notifications.rendering import absolute
from notifications.sms import backends as sms_backends
from notifications.sms import segments as sms_segments


def full_text(alert: Alert) -> str:
    """The alert as one text, before it is shortened to fit (in the active language).

    The composer counts the SMS this makes as the sender types (notifications.alerts).
    """
    prefix = _("TEST: ") if alert.is_exercise else ""
    return f"{prefix}{alert.title}\n{alert.body}"


def text_for(delivery: Delivery) -> str:
    with translation.override(recipient(delivery).language):
        text = full_text(delivery.alert)
        link = absolute(reverse("notifications:inbox_entry", args=[delivery.pk]))
    return sms_segments.fit_to_segments(text, link=link)


def send(deliveries: list[Delivery]) -> Iterator[list[Outcome]]:
    messages = [
        sms_backends.SMSMessage(
            to=recipient(delivery).phone, body=text_for(delivery), reference=str(delivery.pk)
        )
        for delivery in deliveries
    ]
    results = sms_backends.get_backend().send_messages(messages)
    yield [
        Outcome(
            int(result.message.reference or 0),
            ok=result.ok,
            permanent=result.permanent,
            error=result.error,
            retry_after=result.retry_after,
        )
        for result in results
    ]
