"""SMS channel: the alert shortened to fit, through the configured SMS backend."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.alerts.models import Delivery
from notifications.channels import recipient
from notifications.outbox.pipeline import Outcome
from notifications.rendering import absolute
from notifications.sms import backends as sms_backends
from notifications.sms import segments as sms_segments


def text_for(delivery: Delivery) -> str:
    alert = delivery.alert
    with translation.override(recipient(delivery).language):
        prefix = _("TEST: ") if alert.is_exercise else ""
        text = f"{prefix}{alert.title}\n{alert.body}"
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
