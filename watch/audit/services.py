"""Writing the audit log: the one helper every writer calls."""

from __future__ import annotations

from accounts.models import User
from watch.areas.models import Municipality, WatchArea
from watch.audit.models import AuditAction, AuditEntry


def record(
    *,
    actor: User | None,
    action: AuditAction,
    area: WatchArea | None = None,
    municipality: Municipality | int | None = None,
    subject: User | None = None,
    detail: str = "",
) -> None:
    """Record that ``actor`` did ``action`` (about ``subject``), in the log of ``area``'s
    municipality or of ``municipality``: its coordinators see the entry.

    An action that concerns several municipalities (an alert to two) is recorded once
    for each: call this once per municipality.
    """
    if municipality is None and area is not None:
        municipality = area.municipality_id
    AuditEntry.objects.create(
        actor=actor,
        action=action,
        area=area,
        municipality_id=municipality.pk if isinstance(municipality, Municipality) else municipality,
        subject=subject,
        detail=detail[:500],
    )


def personal_data_exported(*, user: User, **_kwargs: object) -> None:
    """A person downloaded their data (accounts.signals)."""
    record(actor=user, action=AuditAction.PERSONAL_DATA_EXPORTED, subject=user)


def account_deleted(**_kwargs: object) -> None:
    """An account was deleted; the entry names nobody, it says only that and when."""
    record(actor=None, action=AuditAction.ACCOUNT_DELETED)
