"""The delivery pipeline: queueing, claiming, recording outcomes, recovering from crashes.

Every message that goes out is a row of a model built on ``Outbox``: an alert's
``Delivery`` or an account notice's ``OutboundEmail`` (healthchecks' outbox, pretix's
Celery pattern). A send task ``claim``s its rows (``select_for_update(skip_locked)``
and a status change, so two workers never send the same row), hands them to a
channel, and ``record_outcomes`` as the channel reports them, message by message:
sent; failed at once on a permanent error; or back to the queue after an exponential
backoff (``DELIVERY_BACKOFF_BASE_SECONDS * 2^(n-1)``, capped), failing after
``DELIVERY_MAX_ATTEMPTS``. ``sweep`` (beat, every minute) releases rows claimed by a
worker that died and queues the rows that are due, for every outbox model, so a
broker outage or a killed worker delays messages but never loses them.

This module imports no task: it queues each model's ``send_task`` by name
(``config.celery_app.enqueue``), and ``notifications/tasks.py`` imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from config.celery_app import enqueue, enqueue_on_commit, waiting
from notifications.outbox.models import DeliveryStatus, Outbox

# A queued row with no retry time whose send task has not run after this long was
# never queued, or its task was lost with a broker or a worker.
LOST_SEND = timedelta(minutes=1)
# A retry due later than this is left to the sweep (every minute) rather than queued
# with a countdown: Redis hands a message nobody acknowledged to another worker after
# its visibility timeout (config/settings.py), and a waiting countdown counts.
MAX_COUNTDOWN = 60.0
_SENT_COLUMNS = ("id", "status", "sent_at", "last_error", "next_attempt_at")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a channel reports for one row: sent, or failed for good or for now."""

    delivery_id: int
    ok: bool
    permanent: bool = False
    error: str = ""
    retry_after: float | None = None


def stale_claim() -> timedelta:
    """Longer than a task's hard time limit: a row claimed longer ago than this, or an
    alert whose dispatch started longer ago, belongs to a worker that died."""
    return timedelta(seconds=settings.DELIVERY_STALE_CLAIM_SECONDS)


def queue(model: type[Outbox], rows: QuerySet[Any], countdown: float | None = None) -> int:
    """Queue the send tasks for ``rows`` of ``model``; return how many tasks."""
    count = 0
    keys = rows.values_list(*model.task_key_fields).iterator()
    for arguments in model.task_arguments(keys):
        enqueue(model.send_task, *arguments, countdown=countdown)
        count += 1
    return count


def queue_on_commit(model: type[Outbox], rows: QuerySet[Any] | Sequence[Outbox]) -> None:
    """Queue the send tasks for ``rows`` once the transaction commits, best effort."""
    if isinstance(rows, QuerySet):
        keys = list(rows.values_list(*model.task_key_fields))
    else:
        keys = [tuple(getattr(row, name) for name in model.task_key_fields) for row in rows]
    for arguments in model.task_arguments(keys):
        enqueue_on_commit(model.send_task, *arguments)


def retry_soon(model: type[Outbox], ids: list[int], delay: float | None) -> None:
    """Queue a retry of ``ids`` after ``delay`` if it is near; a later one is the sweep's."""
    if delay is not None and delay <= MAX_COUNTDOWN:
        queue(model, model._default_manager.filter(pk__in=ids).order_by("pk"), countdown=delay)


def claim(model: type[Outbox], ids: list[int], now: datetime) -> list[int]:
    """Take the queued, due rows among ``ids`` for this worker; others skip them."""
    with transaction.atomic():
        claimed = list(
            model._default_manager.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status=DeliveryStatus.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .values_list("pk", flat=True)
        )
        if claimed:
            model._default_manager.filter(pk__in=claimed).update(
                status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
    return claimed


def skip(model: type[Outbox], ids: list[int], **reason: Any) -> int:
    """Mark claimed rows among ``ids`` not to be sent after all, with ``reason``'s fields."""
    if not ids:
        return 0
    return model._default_manager.filter(pk__in=ids, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SKIPPED, next_attempt_at=None, **reason
    )


def backoff(attempts: int) -> float:
    base = settings.DELIVERY_BACKOFF_BASE_SECONDS
    return float(min(base * 2 ** (attempts - 1), settings.DELIVERY_BACKOFF_CAP_SECONDS))


def record_outcomes(
    model: type[Outbox], rows: Sequence[Outbox], outcomes: list[Outcome]
) -> float | None:
    """Write the outcomes in a few bulk updates; return the delay before a retry, if any."""
    now = timezone.now()
    if sent := [o.delivery_id for o in outcomes if o.ok]:
        _mark_sent(model, sent, now)
    failed = {o.delivery_id: o for o in outcomes if not o.ok}
    if not failed:
        return None
    changed: list[Outbox] = []
    retry_in: float | None = None
    for row in rows:
        if (outcome := failed.get(row.pk)) is None:
            continue
        row.last_error = outcome.error[:500]
        if outcome.permanent or row.attempts >= settings.DELIVERY_MAX_ATTEMPTS:
            row.status = DeliveryStatus.FAILED
            row.next_attempt_at = None
        else:
            delay = max(backoff(row.attempts), outcome.retry_after or 0)
            row.status = DeliveryStatus.QUEUED
            row.next_attempt_at = now + timedelta(seconds=delay)
            retry_in = delay if retry_in is None else min(retry_in, delay)
        changed.append(row)
    if changed:
        with transaction.atomic():
            # Only rows still being sent: a member who deleted their account meanwhile
            # had theirs skipped, and the error text must not bring their address back.
            still_sending = set(
                model._default_manager.select_for_update()
                .filter(pk__in=[row.pk for row in changed], status=DeliveryStatus.SENDING)
                .values_list("pk", flat=True)
            )
            model._default_manager.bulk_update(
                [row for row in changed if row.pk in still_sending],
                ["status", "last_error", "next_attempt_at"],
            )
    return retry_in


def send(
    model: type[Outbox],
    rows: Sequence[Outbox],
    outcome_batches: Iterable[list[Outcome]],
) -> None:
    """Record each batch of outcomes as the channel yields it, before it sends more; then
    queue a retry of the rows that failed for now."""
    retry_in: float | None = None
    retry_ids: list[int] = []
    for outcomes in outcome_batches:
        delay = record_outcomes(model, rows, outcomes)
        if delay is not None:
            retry_in = delay if retry_in is None else min(retry_in, delay)
            retry_ids += [o.delivery_id for o in outcomes if not (o.ok or o.permanent)]
    retry_soon(model, retry_ids, retry_in)


def _mark_sent(model: type[Outbox], ids: list[int], now: datetime) -> None:
    """Mark sent those of ``ids`` that are still being sent.

    A worker runs this after every e-mail, so it is written in SQL: compiled
    through the ORM it cost the worker more CPU than PostgreSQL spent running it.
    """
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = {field.name: field.attname for field in model._meta.concrete_fields}
    pk, status, sent_at, last_error, next_attempt_at = (
        quote(columns[name]) for name in _SENT_COLUMNS
    )
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} "  # noqa: S608 - the names come from the model, the values are parameters
            f"SET {status} = %s, {sent_at} = %s, {last_error} = '', {next_attempt_at} = NULL "
            f"WHERE {pk} IN ({placeholders}) AND {status} = %s",
            [
                DeliveryStatus.SENT,
                connection.ops.adapt_datetimefield_value(now),
                *ids,
                DeliveryStatus.SENDING,
            ],
        )


def _send_tasks_waiting(model: type[Outbox]) -> bool:
    """Whether messages wait in the queue of ``model``'s send task (an unreachable broker
    counts as yes: what cannot be queued now is queued by a later sweep)."""
    try:
        return waiting(settings.CELERY_TASK_ROUTES[model.send_task]["queue"]) > 0
    except BrokerError:
        return True


def outbox_models() -> list[type[Outbox]]:
    """Every concrete model built on ``Outbox``: what the sweep looks after."""
    return [model for model in apps.get_models() if issubclass(model, Outbox)]


def sweep(now: datetime) -> dict[str, int]:
    """For every outbox: release the rows claimed by a dead worker, queue the rows whose
    retry or quiet hours are over, and queue again the rows whose task was lost; counts
    per model (``delivery_released``, ``delivery_queued``...).

    A row queued by the sweep loses its retry time, so it is queued once, not every
    minute until a worker reaches it. A row without one is lost only if its task is not
    waiting in the broker: while the send queue holds messages (the minutes after an
    alert to a million members), it may be among them, and queueing every waiting row
    again each minute would bury the queue under copies.
    """
    counts = {}
    for model in outbox_models():
        name = model._meta.model_name
        rows = model._default_manager
        # The dead worker took their task with it: queued again whatever is waiting.
        stale = rows.filter(status=DeliveryStatus.SENDING, claimed_at__lte=now - stale_claim())
        released = list(stale.values_list("pk", flat=True))
        counts[f"{name}_released"] = rows.filter(
            pk__in=released, status=DeliveryStatus.SENDING
        ).update(status=DeliveryStatus.QUEUED, claimed_at=None, next_attempt_at=None)
        lost = Q(pk__in=released)
        if not _send_tasks_waiting(model):
            lost |= Q(next_attempt_at__isnull=True, created_at__lte=now - LOST_SEND)
        queued = queue(model, rows.filter(lost, status=DeliveryStatus.QUEUED).order_by("pk"))
        due = list(
            rows.filter(status=DeliveryStatus.QUEUED, next_attempt_at__lte=now)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, len(due), 1000):
            ids = due[start : start + 1000]
            queued += queue(
                model, rows.filter(pk__in=ids, status=DeliveryStatus.QUEUED).order_by("pk")
            )
            rows.filter(pk__in=ids, status=DeliveryStatus.QUEUED, next_attempt_at__lte=now).update(
                next_attempt_at=None
            )
        counts[f"{name}_queued"] = queued
    return counts
