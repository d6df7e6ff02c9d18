"""Celery tasks of the notifications app: each takes ids and calls one service.

Nothing imports this module but Celery and ``NotificationsConfig.ready``: services
queue these tasks by name (``config.celery_app.enqueue``), so tasks depend on the
services and never the other way. The names are part of the queued messages and of
beat's schedule: keep them when moving code.
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from config.celery_app import RETRY_ON_OUTAGE
from notifications.alerts import delivery
from notifications.answers import services as answers
from notifications.bounces import services as bounces
from notifications.notices import services as notices
from notifications.tips import services as tips


@shared_task(**RETRY_ON_OUTAGE)
def send_outbound_emails(outbound_ids: list[int]) -> None:
    notices.send_outbound_emails(outbound_ids)


@shared_task(**RETRY_ON_OUTAGE)
def dispatch_alert(alert_id: int) -> int:
    return delivery.dispatch(alert_id)


@shared_task(**RETRY_ON_OUTAGE)
def dispatch_slice(range_id: int, cursor: int) -> int | None:
    return delivery.dispatch_slice(range_id, cursor)


@shared_task(**RETRY_ON_OUTAGE)
def send_deliveries(channel: str, delivery_ids: list[int]) -> None:
    delivery.send_deliveries(channel, delivery_ids)


@shared_task
def sweep() -> dict[str, int]:
    return delivery.sweep()


@shared_task(**RETRY_ON_OUTAGE)
def send_scheduled_tip(schedule_id: int) -> int | None:
    """Run by django-celery-beat on a yearly tip's date (see notifications.tips.services)."""
    return tips.send_scheduled_tip(schedule_id)


# Not retried on a network error: the text may have gone out before it.
@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, max_retries=5)
def tell_email_suspended(user_id: int) -> bool:
    """A member's address was suspended after bounces (notifications.bounces)."""
    return bounces.tell_email_suspended(user_id)


# Not retried on a network error: the text may have gone out before it.
@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, max_retries=5)
def text_member(user_id: int, text: str) -> bool:
    """An answer to a member who chose SMS for answers (notifications.answers)."""
    return answers.text_member(user_id, text)
