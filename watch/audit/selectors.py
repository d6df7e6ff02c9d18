"""Reads of the audit log."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from watch.areas.models import WatchArea
from watch.audit.models import AuditEntry
from watch.dates import start_of_day


def audit_log(
    visible: Q,
    *,
    action: str = "",
    area: WatchArea | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries matching ``visible`` and the filters, newest first, with their names."""
    entries = AuditEntry.objects.filter(visible)
    if action:
        entries = entries.filter(action=action)
    if area is not None:
        entries = entries.filter(area=area)
    # Whole local days, as bounds on the indexed timestamp.
    if since is not None:
        entries = entries.filter(created_at__gte=start_of_day(since))
    if until is not None:
        entries = entries.filter(created_at__lt=start_of_day(until + timedelta(days=1)))
    return entries.select_related("actor", "subject", "area", "municipality").order_by(
        "-created_at", "-pk"
    )
