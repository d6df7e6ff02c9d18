"""Whole local days as bounds on an indexed timestamp, for the date filters of lists."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone


def start_of_day(day: date) -> datetime:
    """Midnight at the start of ``day`` in the site's time zone (Europe/Stockholm)."""
    return timezone.make_aware(datetime.combine(day, time.min))
