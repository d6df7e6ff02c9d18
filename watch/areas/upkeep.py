"""Areas that stay alive: once a year an area's contacts confirm that it is still active.

Areas die quietly — the contacts move away, nobody meets — and an area that exists only on
the map promises residents a watch that is not there. So each active area is confirmed
once a year by one of its contacts (one click on the area's page). A year after the last
confirmation (or after the area was drawn) the contacts are reminded, again each month;
after thirteen months the municipality's coordinators are told, and the area is flagged on
their start page and in the statistics, as an area without any contact is. A coordinator
then closes it, or revives it (confirms it on the contacts' behalf); both are audited.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from notifications.notices.services import notify_users
from watch import permissions
from watch.areas.models import AreaStatus, WatchArea
from watch.audit.models import AuditAction
from watch.audit.services import record
from watch.roles.models import AreaContact, Official, OfficialKind

CONFIRM_EVERY = timedelta(days=365)
FLAG_AFTER = timedelta(days=396)  # thirteen months
REMIND_AGAIN_AFTER = timedelta(days=30)


def with_last_confirmed(areas: QuerySet[WatchArea]) -> QuerySet[WatchArea]:
    """``areas`` with ``last_confirmed``: the last confirmation, or when it was drawn."""
    return areas.annotate(last_confirmed=Coalesce("confirmed_at", "created_at"))


def unconfirmed(areas: QuerySet[WatchArea], now: datetime | None = None) -> QuerySet[WatchArea]:
    """The active areas of ``areas`` nobody has confirmed for thirteen months."""
    now = now or timezone.now()
    return with_last_confirmed(
        areas.filter(last_confirmed_before(now - FLAG_AFTER), status=AreaStatus.ACTIVE)
    )


def last_confirmed_before(moment: datetime) -> Q:
    """Areas whose last confirmation (or, never confirmed, their drawing) is older."""
    return Q(confirmed_at__lt=moment) | Q(confirmed_at__isnull=True, created_at__lt=moment)


def confirmation_due(area: WatchArea, now: datetime | None = None) -> bool:
    """Whether the area's page asks its contacts to confirm it (a month before the year)."""
    now = now or timezone.now()
    last = area.confirmed_at or area.created_at
    return area.status == AreaStatus.ACTIVE and last < now - CONFIRM_EVERY + REMIND_AGAIN_AFTER


def confirm(*, actor: User, area: WatchArea) -> None:
    """A contact says the area is still active."""
    if not permissions.can_manage_area(actor, area) or area.status != AreaStatus.ACTIVE:
        raise PermissionDenied
    _confirmed(area)
    record(actor=actor, action=AuditAction.AREA_CONFIRMED, area=area)


def close(*, actor: User, area: WatchArea) -> None:
    if not permissions.can_edit_area(actor, area):
        raise PermissionDenied
    WatchArea.objects.filter(pk=area.pk).update(status=AreaStatus.CLOSED)
    area.status = AreaStatus.CLOSED
    record(actor=actor, action=AuditAction.AREA_CLOSED, area=area)


def revive(*, actor: User, area: WatchArea) -> None:
    """Active again, and confirmed as of now: the coordinator vouches for it."""
    if not permissions.can_edit_area(actor, area):
        raise PermissionDenied
    WatchArea.objects.filter(pk=area.pk).update(status=AreaStatus.ACTIVE)
    area.status = AreaStatus.ACTIVE
    _confirmed(area)
    record(actor=actor, action=AuditAction.AREA_REVIVED, area=area)


def _confirmed(area: WatchArea) -> None:
    area.confirmed_at = timezone.now()
    WatchArea.objects.filter(pk=area.pk).update(
        confirmed_at=area.confirmed_at, confirmation_reminded_at=None, coordinators_told_at=None
    )


def send_reminders(now: datetime | None = None) -> tuple[int, int]:
    """Run daily by beat: remind the contacts of areas a year unconfirmed (each month),
    and tell the coordinators once of areas thirteen months unconfirmed. Returns how many
    areas' contacts were reminded and how many areas coordinators were told of."""
    now = now or timezone.now()
    active = WatchArea.objects.filter(status=AreaStatus.ACTIVE)
    due = list(
        active.filter(last_confirmed_before(now - CONFIRM_EVERY)).filter(
            Q(confirmation_reminded_at__isnull=True)
            | Q(confirmation_reminded_at__lt=now - REMIND_AGAIN_AFTER)
        )
    )
    overdue = list(
        active.filter(last_confirmed_before(now - FLAG_AFTER), coordinators_told_at__isnull=True)
    )
    contacts = defaultdict(list)
    for contact in AreaContact.objects.filter(area__in=due).select_related("user"):
        contacts[contact.area_id].append(contact.user)
    by_municipality = defaultdict(list)
    for area in overdue:
        by_municipality[area.municipality_id].append(area)
    coordinators = defaultdict(list)
    for official in (
        Official.objects.filter(kind=OfficialKind.COORDINATOR, municipalities__in=by_municipality)
        .select_related("user")
        .prefetch_related("municipalities")
    ):
        for municipality in official.municipalities.all():
            coordinators[municipality.pk].append(official.user)
    with transaction.atomic():
        for area in due:
            notify_users(
                users=contacts[area.pk],
                template="watch/area_confirmation",
                context={"area": area.name, "area_id": area.pk},
            )
        WatchArea.objects.filter(pk__in=[area.pk for area in due]).update(
            confirmation_reminded_at=now
        )
        for municipality_id, areas in by_municipality.items():
            notify_users(
                users=set(coordinators[municipality_id]),
                template="watch/areas_unconfirmed",
                context={"areas": sorted(area.name for area in areas)},
            )
        WatchArea.objects.filter(pk__in=[area.pk for area in overdue]).update(
            coordinators_told_at=now
        )
    return len(due), len(overdue)
