"""Celery tasks: each takes ids, loads rows and calls one service."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import DatabaseError

from notifications import emails, services

# A database restart or failover is retried with backoff; the work is idempotent
# (rows are claimed before anything is sent), so a second run after a partial
# one is safe.
_RETRY = {
    "autoretry_for": (OSError, DatabaseError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 10,
}


@shared_task(**_RETRY)
def send_templated_email(
    template: str, recipients: list[dict[str, str]], context: dict[str, Any]
) -> int:
    return emails.send_templated(template=template, recipients=recipients, context=context)


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
