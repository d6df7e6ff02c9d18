"""Celery tasks of the accounts app."""

from __future__ import annotations

from celery import shared_task

from accounts import services


@shared_task
def purge_expired_records() -> dict[str, int]:
    """Run daily by beat: the retention periods of deliveries, audit entries and observations."""
    return services.purge_expired_records()
