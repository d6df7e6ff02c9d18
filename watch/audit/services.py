"""Writing the audit log: one helper for every writer."""

from __future__ import annotations

from accounts.models import User
from watch.areas.models import Municipality, WatchArea
from watch.audit.models import AuditAction, AuditEntry


def record(
    *,
    actor: User | None,
    action: AuditAction,
    area: WatchArea | None = None,
    municipality: Municipality | None = None,
    subject: User | None = None,
    detail: str = "",
) -> AuditEntry:
    if municipality is None and area is not None:
        municipality = area.municipality
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        area=area,
        municipality=municipality,
        subject=subject,
        detail=detail[:500],
    )
