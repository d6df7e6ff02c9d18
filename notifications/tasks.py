"""Celery tasks: each takes ids, loads rows and calls one service."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError, transaction
from kombu.exceptions import OperationalError as BrokerError

from notifications import services

logger = logging.getLogger(__name__)

# A database restart or failover (OperationalError, InterfaceError) or a network
# error is retried with backoff; the work is idempotent (rows are claimed before
# anything is sent), so a second run after a partial one is safe. Other database
# errors (an IntegrityError) are bugs, which a retry would only repeat.
_RETRY = {
    "autoretry_for": (OSError, OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 10,
}


def queue_after_commit(task: Task, *args: Any) -> None:
    """Queue ``task`` once the transaction commits; if the broker is down, log it and go on.

    By then the work is committed, so failing the request would only tell the
    user that nothing happened when it did. Alerts and account notices are
    recorded before they are queued, and the sweep sends what never arrived.
    """
    transaction.on_commit(partial(_queue, task, args))


def _queue(task: Task, args: tuple[Any, ...]) -> None:
    try:
        task.apply_async(args)
    except BrokerError as error:
        logger.error("Could not queue %s, the broker is unreachable: %s", task.name, error)


@shared_task(**_RETRY)
def send_outbound_emails(outbound_ids: list[int]) -> None:
    services.send_outbound_emails(outbound_ids)


@shared_task(**_RETRY)
def dispatch_alert(alert_id: int) -> int:
    return services.dispatch(alert_id)


@shared_task(**_RETRY)
def send_deliveries(channel: str, delivery_ids: list[int]) -> None:
    services.send_deliveries(channel, delivery_ids)


@shared_task
def sweep() -> dict[str, int]:
    return services.sweep()


@shared_task(**_RETRY)
def send_scheduled_tip(schedule_id: int) -> int | None:
    """Run by django-celery-beat on a yearly tip's date (see notifications.tips)."""
    from notifications import tips  # tips imports services, which imports this module

    return tips.send_scheduled_tip(schedule_id)
