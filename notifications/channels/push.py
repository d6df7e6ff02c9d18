"""Push channel: the alert's title, the start of its text and a link to the member's inbox
entry, encrypted to each device the member set up (notifications.push.webpush).

One delivery per member covers all their devices. It is sent once any device's push
service took the message; retrying it would show it again on the devices that did. It
is retried when none took it and one of them may later (429, 5xx, no answer), and it
fails when none ever will: the devices' subscriptions are gone (404, 410, and then
forgotten), the message is refused (413, other 4xx), or no device is left.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from notifications.alerts import selectors as alert_selectors
from notifications.alerts.models import Delivery, Severity
from notifications.alerts.selectors import AlertText
from notifications.channels import recipient
from notifications.outbox.pipeline import Outcome
from notifications.push import conf, selectors, services
from notifications.push.models import PushSubscription
from notifications.push.webpush import Pusher, PushMessage, PushResult
from notifications.rendering import absolute

# A notification shows two or three lines; the inbox entry has the rest.
BODY_CHARS = 120
# How long a push service keeps a message for a phone that is off: after a day the
# member will have seen the alert in the inbox or by e-mail.
MAX_TTL = timedelta(days=1)

NO_DEVICE = "no device set up for push any more"
NOT_CONFIGURED = "push is not configured (VAPID_PRIVATE_KEY)"


def payload(delivery: Delivery, text: AlertText) -> bytes:
    """What the service worker shows (static/js/service-worker.js): the alert in the
    language the delivery carries (``text``), the marking in the member's site language."""
    alert = delivery.alert
    with translation.override(recipient(delivery).language):
        title = f"{_('TEST: ') if alert.is_exercise else ''}{text.title}"
        url = absolute(reverse("notifications:inbox_entry", args=[delivery.pk]))
    message = {
        "title": title,
        "body": Truncator(" ".join(text.body.split())).chars(BODY_CHARS),
        "url": url,
        "urgent": alert.severity == Severity.URGENT,
    }
    return json.dumps(message, ensure_ascii=False).encode("utf-8")


def ttl(delivery: Delivery) -> int:
    left = MAX_TTL
    if delivery.alert.expires_at is not None:
        left = min(left, delivery.alert.expires_at - timezone.now())
    return max(0, int(left.total_seconds()))


def send(deliveries: list[Delivery]) -> Iterator[list[Outcome]]:
    if not conf.vapid_private_key():
        yield [Outcome(d.pk, ok=False, permanent=True, error=NOT_CONFIGURED) for d in deliveries]
        return
    devices = selectors.devices_by_user([recipient(d).pk for d in deliveries])
    texts = alert_selectors.delivery_texts(deliveries)
    with Pusher() as pusher:
        for delivery in deliveries:
            text = texts[(delivery.alert_id, delivery.language)]
            yield [_send_one(pusher, delivery, text, devices.get(recipient(delivery).pk, []))]


def _send_one(
    pusher: Pusher, delivery: Delivery, text: AlertText, devices: list[PushSubscription]
) -> Outcome:
    if not devices:
        return Outcome(delivery.pk, ok=False, permanent=True, error=NO_DEVICE)
    body, urgent, seconds = (
        payload(delivery, text),
        delivery.alert.severity == Severity.URGENT,
        ttl(delivery),
    )
    results: list[tuple[PushSubscription, PushResult]] = [
        (
            device,
            pusher.send(
                PushMessage(device.endpoint, device.p256dh, device.auth, body, seconds, urgent)
            ),
        )
        for device in devices
    ]
    if gone := [device.pk for device, result in results if result.gone]:
        services.forget(gone)
    if any(result.ok for _device, result in results):
        return Outcome(delivery.pk, ok=True)
    if later := [result for _device, result in results if not result.permanent]:
        waits = [result.retry_after for result in later if result.retry_after is not None]
        return Outcome(
            delivery.pk, ok=False, error=later[0].error, retry_after=max(waits, default=None)
        )
    return Outcome(
        delivery.pk, ok=False, permanent=True, error="; ".join(r.error for _d, r in results)
    )
