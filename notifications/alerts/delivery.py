"""From an alert to its deliveries, and from deliveries to messages.

1. ``dispatch`` splits the alert's recipients into ranges of user ids
   (``DispatchRange``) and queues a task per range, so several workers, on several
   machines, dispatch one alert together.
2. ``dispatch_slice`` does a bounded slice of one range: it bulk-inserts one
   Delivery per (alert, member, channel) — unique, so nothing is created twice —
   moves the range's cursor in the same transaction, queues send tasks carrying
   lists of delivery ids for the slice's new rows once that commits, and queues its
   continuation. A redelivered or repeated task continues from the cursor, never
   from the start. An in-app delivery is the inbox entry itself, so it is written
   as sent. The last range to finish marks the alert sent.
3. ``send_deliveries`` claims its rows, sends them through the channel module and
   records each outcome (``notifications.outbox.pipeline``).
4. ``sweep`` (beat, every minute) starts scheduled alerts whose time has come,
   continues dispatches whose last slice is older than a task can live, and
   recovers every outbox — so a broker outage or a killed worker delays messages
   but never loses them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime
from itertools import chain

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from config.celery_app import enqueue, enqueue_on_commit
from notifications.alerts import planning, targeting
from notifications.alerts.models import (
    Alert,
    AlertStatus,
    Channel,
    Delivery,
    DispatchRange,
    SkipReason,
)
from notifications.channels import module_for, recipient
from notifications.notices.services import address_hash, suspended_hashes
from notifications.outbox import pipeline
from notifications.outbox.models import DeliveryStatus
from notifications.outbox.pipeline import Outcome

DISPATCH_TASK = "notifications.tasks.dispatch_alert"
SLICE_TASK = "notifications.tasks.dispatch_slice"

# Recipients other than members: writer(alert, area ids, now) writes their messages.
OtherRecipients = Callable[[Alert, list[int], datetime], None]
_other_recipients: list[OtherRecipients] = []


def register_other_recipients(writer: OtherRecipients) -> None:
    """Let a feature reach the alert's areas in a way of its own (households on paper,
    by text: watch.paper). ``writer`` runs once per alert, when dispatch fixes its areas,
    in that transaction: it writes its rows set-based and queues their sending on commit.

    This module knows no feature: the writer is registered when the app is ready.
    """
    if writer not in _other_recipients:
        _other_recipients.append(writer)


def dispatch(alert_id: int) -> int:
    """Fix the alert's areas, split its recipients into ranges and queue a slice task
    for each; return how many members were found.

    Safe to run twice (a redelivered task, the sweep): an alert whose ranges exist
    is left to them.
    """
    if DispatchRange.objects.filter(alert_id=alert_id).exists():
        return 0
    with transaction.atomic():
        # Locked: two planners of one alert would split it twice. Not the key: the
        # deliveries' foreign keys share that, and must not wait.
        alert = (
            Alert.objects.select_for_update(no_key=True)
            .filter(pk=alert_id, status=AlertStatus.SENDING)
            .first()
        )
        if alert is None or alert.dispatch_ranges.exists():
            return 0
        areas = targeting.resolve_areas(alert)
        alert.areas.set(areas)
        alert.municipalities.set({area.municipality_id for area in areas})
        area_ids = [area.pk for area in areas]
        now = timezone.now()
        # Before the members are counted: an area of households on paper alone still
        # reaches them.
        for writer in _other_recipients:
            writer(alert, area_ids, now)
        members = planning.recipient_count(area_ids)
        if not members:
            Alert.objects.filter(pk=alert.pk).update(
                status=AlertStatus.SENT, sent_at=now, recipients=0
            )
            return 0
        Alert.objects.filter(pk=alert.pk).update(recipients=members)
        parts = min(
            math.ceil(members / settings.DISPATCH_RANGE_MEMBERS), settings.DISPATCH_MAX_RANGES
        )
        starts = planning.range_starts(area_ids, members, parts)
        # The last range is open: a member who joins meanwhile is still covered.
        lasts = [start - 1 for start in starts[1:]] + [None]
        DispatchRange.objects.bulk_create(
            DispatchRange(
                alert=alert,
                first_user_id=first,
                last_user_id=last,
                cursor=first - 1,
                queued_to=first - 1,
                touched_at=now,
            )
            for first, last in zip(starts, lasts, strict=True)
        )
        for planned in DispatchRange.objects.filter(alert=alert).values_list("pk", "cursor"):
            enqueue_on_commit(SLICE_TASK, *planned)
    return members


def dispatch_slice(range_id: int, cursor: int) -> int | None:
    """Dispatch the next slice of a range that stands at ``cursor``; return the cursor
    its continuation starts from, or None when there is nothing more to do here.

    A task for a cursor the range has moved past, or for a range another worker
    holds, is a duplicate (a redelivery, the sweep) and does nothing.
    """
    with transaction.atomic():
        dispatch_range = (
            # Of the range only: each slice reads the alert, and locking it would let
            # one range's slice hold up every other's.
            DispatchRange.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                pk=range_id,
                cursor=cursor,
                done_at__isnull=True,
                alert__status=AlertStatus.SENDING,
            )
            .select_related("alert")
            .first()
        )
        if dispatch_range is None:
            _finish_if_done(range_id)
            return None
        alert = dispatch_range.alert
        area_ids = list(alert.areas.values_list("pk", flat=True))
        versions = planning.version_languages(alert)
        now = timezone.now()
        members: set[int] = set()
        size = settings.DISPATCH_SLICE_MEMBERS
        chunks = planning.recipient_chunks(
            area_ids,
            alert.kind,
            min(planning.CHUNK_SIZE, size),
            after=cursor,
            up_to=dispatch_range.last_user_id,
        )
        # By count, and by time should the database be slow: well inside the soft limit.
        deadline = time.monotonic() + settings.CELERY_TASK_SOFT_TIME_LIMIT / 4
        last = cursor
        for chunk in chunks:
            Delivery.objects.bulk_create(
                _deliveries(alert, chunk, now, versions), ignore_conflicts=True
            )
            members.update(recipient.user_id for recipient in chunk)
            last = chunk[-1].user_id
            if len(members) >= size or time.monotonic() > deadline:
                break
        else:
            dispatch_range.done_at = now
        # Only the slice's own rows: an earlier slice queued those below the cursor.
        pipeline.queue_on_commit(Delivery, _to_send(alert.pk, cursor, last))
        # From the cursor it was read at: on SQLite, which locks no row, another slice
        # of the range may have moved it meanwhile, and this one's rows are then undone.
        if not DispatchRange.objects.filter(pk=range_id, cursor=cursor).update(
            cursor=last,
            members=F("members") + len(members),
            slices=F("slices") + 1,
            touched_at=now,
            done_at=dispatch_range.done_at,
        ):
            transaction.set_rollback(True)
            return None
        if dispatch_range.done_at is None:
            enqueue_on_commit(SLICE_TASK, range_id, last)
    # Committed, and its send tasks queued (on commit, just now).
    DispatchRange.objects.filter(pk=range_id, queued_to=cursor).update(queued_to=last)
    if dispatch_range.done_at is not None:
        finish(alert.pk)
        return None
    return last


def _to_send(alert_id: int, after: int, up_to: int) -> QuerySet[Delivery]:
    """The deliveries to send now of the members whose ids lie in (``after``, ``up_to``]:
    what one slice queues."""
    return Delivery.objects.filter(
        alert_id=alert_id,
        user_id__gt=after,
        user_id__lte=up_to,
        status=DeliveryStatus.QUEUED,
        next_attempt_at__isnull=True,
    ).order_by("pk")


def dispatch_here(alert_id: int) -> int:
    """``dispatch`` and every slice of every range in this process, one after another;
    return the members found. For the benchmarks, the tests and a shell: the tasks
    these queue on commit find nothing left to do."""
    members = dispatch(alert_id)
    ranges = DispatchRange.objects.filter(alert_id=alert_id, done_at__isnull=True)
    for range_id, cursor in ranges.values_list("pk", "cursor"):
        at: int | None = cursor
        while at is not None:
            at = dispatch_slice(range_id, at)
    return members


def _deliveries(
    alert: Alert, chunk: list[planning.Recipient], now: datetime, versions: frozenset[str]
) -> list[Delivery]:
    return [
        Delivery(
            alert_id=alert.pk,
            user_id=recipient.user_id,
            area_id=recipient.area_id,
            channel=planned.channel,
            language=planning.version_language(recipient, versions),
            status=planned.status,
            reason=planned.reason,
            next_attempt_at=planned.not_before,
            created_at=now,
            sent_at=now if planned.status == DeliveryStatus.SENT else None,
        )
        for recipient in chunk
        for planned in planning.plan(recipient, alert, now)
    ]


def _finish_if_done(range_id: int) -> None:
    """A duplicate of a range's last slice (a retry after the database went away)
    finishes what the first may not have: marking the alert sent."""
    done = DispatchRange.objects.filter(
        pk=range_id, done_at__isnull=False, alert__status=AlertStatus.SENDING
    )
    if (alert_id := done.values_list("alert_id", flat=True).first()) is not None:
        finish(alert_id)


def finish(alert_id: int) -> bool:
    """Mark the alert sent if every range is done; whether it was.

    Run after a range's last slice has committed, with the alert's row locked: of
    two ranges finishing at once, the second to lock sees the first's commit.
    """
    with transaction.atomic():
        list(Alert.objects.select_for_update(no_key=True).filter(pk=alert_id).values_list("pk"))
        if DispatchRange.objects.filter(alert_id=alert_id, done_at__isnull=True).exists():
            return False
        return bool(
            Alert.objects.filter(pk=alert_id, status=AlertStatus.SENDING).update(
                status=AlertStatus.SENT, sent_at=timezone.now()
            )
        )


def send_deliveries(channel: str, ids: list[int]) -> None:
    """Send the queued, due deliveries among ``ids`` through ``channel``'s module."""
    claimed = pipeline.claim(Delivery, ids, timezone.now())
    if not claimed:
        return
    deliveries = list(
        Delivery.objects.filter(pk__in=claimed).select_related("alert", "user").order_by("pk")
    )
    ready = [d for d in deliveries if d.user is not None]
    # Planned before the address was suspended: its bounces came in while it waited.
    if channel == Channel.EMAIL and (
        suspended := suspended_hashes(recipient(d).email for d in ready)
    ):
        skipped = [d.pk for d in ready if address_hash(recipient(d).email) in suspended]
        pipeline.skip(Delivery, skipped, reason=SkipReason.ADDRESS_SUSPENDED)
        ready = [d for d in ready if d.pk not in skipped]
    gone = [
        Outcome(d.pk, ok=False, permanent=True, error="account deleted")
        for d in deliveries
        if d.user is None
    ]
    sent = module_for(channel).send(ready) if ready else iter(())
    pipeline.send(Delivery, deliveries, chain(sent, [gone]))


def sweep() -> dict[str, int]:
    """Start scheduled alerts whose time has come and continue lost dispatches; then
    recover every outbox (``pipeline.sweep``). Beat runs it every minute."""
    now = timezone.now()
    counts = {"scheduled": 0, "redispatched": 0, "slices_requeued": 0, "finished": 0}
    due = Alert.objects.filter(status=AlertStatus.SCHEDULED, publish_at__lte=now)
    for alert_id in due.values_list("pk", flat=True):
        if Alert.objects.filter(pk=alert_id, status=AlertStatus.SCHEDULED).update(
            status=AlertStatus.SENDING, dispatched_at=now
        ):
            enqueue(DISPATCH_TASK, alert_id)
            counts["scheduled"] += 1
    # A task runs at most its hard time limit: a dispatch not planned, or a range whose
    # last slice is older than that, was lost or killed. The restart is recorded as a
    # new start, so it is queued once per period, not on every sweep while it runs.
    lost_before = now - pipeline.stale_claim()
    unplanned = Alert.objects.filter(
        ~Exists(DispatchRange.objects.filter(alert=OuterRef("pk"))),
        status=AlertStatus.SENDING,
        dispatched_at__lte=lost_before,
    )
    for alert_id in unplanned.values_list("pk", flat=True):
        if Alert.objects.filter(
            pk=alert_id, status=AlertStatus.SENDING, dispatched_at__lte=lost_before
        ).update(dispatched_at=now):
            enqueue(DISPATCH_TASK, alert_id)
            counts["redispatched"] += 1
    stalled = DispatchRange.objects.filter(
        done_at__isnull=True, touched_at__lte=lost_before, alert__status=AlertStatus.SENDING
    )
    for range_id, cursor in stalled.values_list("pk", "cursor"):
        if DispatchRange.objects.filter(
            pk=range_id, cursor=cursor, done_at__isnull=True, touched_at__lte=lost_before
        ).update(touched_at=now):
            enqueue(SLICE_TASK, range_id, cursor)
            counts["slices_requeued"] += 1
    # A worker died between a slice's commit and queueing its send tasks.
    unqueued = DispatchRange.objects.filter(queued_to__lt=F("cursor"), touched_at__lte=lost_before)
    counts["sends_requeued"] = 0
    for range_id, alert_id, queued_to, cursor in unqueued.values_list(
        "pk", "alert_id", "queued_to", "cursor"
    ):
        counts["sends_requeued"] += pipeline.queue(Delivery, _to_send(alert_id, queued_to, cursor))
        DispatchRange.objects.filter(pk=range_id, queued_to=queued_to).update(queued_to=cursor)
    # The worker that did an alert's last slice died before it marked the alert sent.
    done = Alert.objects.filter(
        Exists(DispatchRange.objects.filter(alert=OuterRef("pk"))),
        ~Exists(DispatchRange.objects.filter(alert=OuterRef("pk"), done_at__isnull=True)),
        status=AlertStatus.SENDING,
    )
    counts["finished"] = sum(finish(alert_id) for alert_id in done.values_list("pk", flat=True))
    # Inbox entries are written as sent (migration 0004); while a release deploys, the
    # older one's dispatch may still queue some, which no channel sends any more.
    counts["inapp_delivered"] = Delivery.objects.filter(
        channel=Channel.INAPP, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]
    ).update(status=DeliveryStatus.SENT, sent_at=now, next_attempt_at=None, claimed_at=None)
    return counts | pipeline.sweep(now)
