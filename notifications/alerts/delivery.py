"""From an alert to its deliveries, and from deliveries to messages.

1. ``dispatch`` resolves recipients a chunk at a time and bulk-inserts one
   Delivery per (alert, member, channel) — unique, so a retried dispatch creates
   nothing twice — then queues send tasks carrying lists of delivery ids. An
   in-app delivery is the inbox entry itself, so it is written as sent.
2. ``send_deliveries`` claims its rows, sends them through the channel module and
   records each outcome (``notifications.outbox.pipeline``).
3. ``sweep`` (beat, every minute) starts scheduled alerts whose time has come,
   re-dispatches alerts whose dispatch was lost, and recovers every outbox — so a
   broker outage or a killed worker delays messages but never loses them.
"""

from __future__ import annotations

from itertools import chain

from django.utils import timezone

from config.celery_app import enqueue
from notifications.alerts import planning, targeting
from notifications.alerts.models import Alert, AlertStatus, Channel, Delivery
from notifications.channels import module_for
from notifications.outbox import pipeline
from notifications.outbox.models import DeliveryStatus
from notifications.outbox.pipeline import Outcome

DISPATCH_TASK = "notifications.tasks.dispatch_alert"


def dispatch(alert_id: int) -> int:
    """Create the alert's deliveries and enqueue their sending; return recipients seen.

    Safe to run twice (a redelivered task, the sweep): existing rows are kept.
    """
    alert = Alert.objects.filter(pk=alert_id, status=AlertStatus.SENDING).first()
    if alert is None:
        return 0
    areas = targeting.resolve_areas(alert)
    alert.areas.set(areas)
    alert.municipalities.set({area.municipality_id for area in areas})
    now = timezone.now()
    seen = 0
    for chunk in planning.recipient_chunks([area.pk for area in areas], alert.kind):
        seen += len(chunk)
        rows = [
            Delivery(
                alert_id=alert.pk,
                user_id=recipient.user_id,
                area_id=recipient.area_id,
                channel=planned.channel,
                status=planned.status,
                reason=planned.reason,
                next_attempt_at=planned.not_before,
                created_at=now,
                sent_at=now if planned.status == DeliveryStatus.SENT else None,
            )
            for recipient in chunk
            for planned in planning.plan(recipient, alert, now)
        ]
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        due = Delivery.objects.filter(
            alert_id=alert.pk,
            user_id__gte=chunk[0].user_id,
            user_id__lte=chunk[-1].user_id,
            status=DeliveryStatus.QUEUED,
            next_attempt_at__isnull=True,
        )
        pipeline.queue(Delivery, due.order_by("pk"))
    Alert.objects.filter(pk=alert.pk, status=AlertStatus.SENDING).update(
        status=AlertStatus.SENT, sent_at=timezone.now()
    )
    return seen


def send_deliveries(channel: str, ids: list[int]) -> None:
    """Send the queued, due deliveries among ``ids`` through ``channel``'s module."""
    claimed = pipeline.claim(Delivery, ids, timezone.now())
    if not claimed:
        return
    deliveries = list(
        Delivery.objects.filter(pk__in=claimed).select_related("alert", "user").order_by("pk")
    )
    ready = [d for d in deliveries if d.user is not None]
    gone = [
        Outcome(d.pk, ok=False, permanent=True, error="account deleted")
        for d in deliveries
        if d.user is None
    ]
    sent = module_for(channel).send(ready) if ready else iter(())
    pipeline.send(Delivery, deliveries, chain(sent, [gone]))


def sweep() -> dict[str, int]:
    """Start scheduled alerts whose time has come and re-dispatch lost dispatches; then
    recover every outbox (``pipeline.sweep``). Beat runs it every minute."""
    now = timezone.now()
    counts = {"scheduled": 0, "redispatched": 0}
    due = Alert.objects.filter(status=AlertStatus.SCHEDULED, publish_at__lte=now)
    for alert_id in due.values_list("pk", flat=True):
        if Alert.objects.filter(pk=alert_id, status=AlertStatus.SCHEDULED).update(
            status=AlertStatus.SENDING, dispatched_at=now
        ):
            enqueue(DISPATCH_TASK, alert_id)
            counts["scheduled"] += 1
    # A dispatch runs at most a task's hard time limit: one that has not finished by then
    # was lost or killed. The restart is recorded as a new start, so it is queued once
    # per period, not on every sweep while it runs.
    lost_before = now - pipeline.stale_claim()
    lost = Alert.objects.filter(status=AlertStatus.SENDING, dispatched_at__lte=lost_before)
    for alert_id in lost.values_list("pk", flat=True):
        if Alert.objects.filter(
            pk=alert_id, status=AlertStatus.SENDING, dispatched_at__lte=lost_before
        ).update(dispatched_at=now):
            enqueue(DISPATCH_TASK, alert_id)
            counts["redispatched"] += 1
    # Inbox entries are written as sent (migration 0004); while a release deploys, the
    # older one's dispatch may still queue some, which no channel sends any more.
    counts["inapp_delivered"] = Delivery.objects.filter(
        channel=Channel.INAPP, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]
    ).update(status=DeliveryStatus.SENT, sent_at=now, next_attempt_at=None, claimed_at=None)
    return counts | pipeline.sweep(now)
