"""Observations: what members saw (graffiti, fly-posting, vandalism...), for the municipality.

A member of an area reports a category, a time, a point and a text, perhaps a photo
(cleaned by ``watch.community.photos``). The point decides where it goes: the active area that
covers it (its contacts are told) and that area's municipality (its coordinators are
told). A point outside every area goes to the reporter's own municipality, since
municipalities have no boundaries here; the coordinators see the point on the map.

Who may see, handle and export observations is ``permissions.visible_observations``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.notices.services import notify_users
from watch import dates, permissions
from watch.areas import selectors as area_selectors
from watch.areas.models import AreaStatus, Municipality, WatchArea
from watch.audit.models import AuditAction
from watch.audit.services import record
from watch.community.models import Observation
from watch.community.photos import CleanPhoto
from watch.households.models import Membership, MembershipStatus
from watch.roles.models import OfficialKind


@dataclass(frozen=True)
class ObservationDetails:
    category: str
    observed_at: datetime
    longitude: float
    latitude: float
    description: str


@dataclass(frozen=True)
class ObservationFilter:
    category: str = ""
    area: WatchArea | None = None
    observed_from: date | None = None
    observed_until: date | None = None
    handled: bool | None = None

    def q(self) -> Q:
        condition = Q()
        if self.category:
            condition &= Q(category=self.category)
        if self.area is not None:
            condition &= Q(area=self.area)
        if self.observed_from is not None:
            condition &= Q(observed_at__gte=dates.start_of_day(self.observed_from))
        if self.observed_until is not None:
            # The whole last day counts: before the start of the next one.
            condition &= Q(
                observed_at__lt=dates.start_of_day(self.observed_until + timedelta(days=1))
            )
        if self.handled is not None:
            condition &= Q(handled_at__isnull=not self.handled)
        return condition


def locate(
    *, reporter: User, longitude: float, latitude: float
) -> tuple[Municipality, WatchArea | None]:
    """The municipality and (active) area an observation at the point belongs to.

    Any area covering the point names its municipality, whatever its status; only an
    active one has contacts to tell. Outside every area: the reporter's municipality.
    """
    covering = area_selectors.areas_covering(longitude, latitude, statuses=tuple(AreaStatus.values))
    area = next((a for a in covering if a.status == AreaStatus.ACTIVE), None)
    if area is not None:
        return area.municipality, area
    if covering:
        return covering[0].municipality, None
    own = (
        Membership.objects.filter(
            household__members__user=reporter, status=MembershipStatus.APPROVED
        )
        .select_related("area__municipality")
        .first()
    )
    if own is None:
        raise PermissionDenied
    return own.area.municipality, None


def report_observation(
    *, reporter: User, details: ObservationDetails, photo: CleanPhoto | None = None
) -> Observation:
    if not permissions.can_report_observation(reporter):
        raise PermissionDenied
    if details.observed_at > timezone.now():
        raise ValidationError({"observed_at": _("The time cannot be in the future.")})
    municipality, area = locate(
        reporter=reporter, longitude=details.longitude, latitude=details.latitude
    )
    observation = Observation(
        reporter=reporter,
        municipality=municipality,
        area=area,
        category=details.category,
        observed_at=details.observed_at,
        longitude=details.longitude,
        latitude=details.latitude,
        description=details.description,
    )
    if photo is not None:
        # A random name: the file name says nothing about the member, the place or the
        # time, and cannot be guessed.
        observation.photo.save(
            f"{uuid.uuid4().hex}.{photo.extension}", ContentFile(photo.content), save=False
        )
    try:
        with transaction.atomic():
            observation.save()
            notify_users(
                users=_recipients(municipality, area),
                template="watch/observation_reported",
                context={"place": area.name if area else municipality.name},
            )
    except Exception:
        # No row, no file: a photo nobody can reach through the permission-checked view
        # would be personal data kept for nothing.
        if observation.photo:
            observation.photo.delete(save=False)
        raise
    return observation


def _recipients(municipality: Municipality, area: WatchArea | None) -> list[User]:
    """The area's contacts and the municipality's coordinators, each once."""
    condition = Q(official__kind=OfficialKind.COORDINATOR, official__municipalities=municipality)
    if area is not None:
        condition |= Q(area_contacts__area=area)
    return list(User.objects.filter(condition, is_active=True).distinct().order_by("pk"))


def visible_to(user: User) -> QuerySet[Observation]:
    """Observations ``user`` may see, newest first, with what the list shows joined in."""
    return (
        Observation.objects.filter(permissions.visible_observations(user))
        .select_related("municipality", "area", "reporter", "handled_by")
        .order_by("-observed_at", "-pk")
    )


def mark_handled(*, actor: User, observation: Observation) -> Observation:
    if not Observation.objects.filter(
        permissions.visible_observations(actor), pk=observation.pk
    ).exists():
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        # Conditional update: of two officials clicking at once, one records it.
        changed = Observation.objects.filter(pk=observation.pk, handled_at__isnull=True).update(
            handled_at=now, handled_by=actor
        )
        if changed != 1:
            raise ValidationError(_("This observation has already been handled."))
        observation.handled_at, observation.handled_by = now, actor
        record(
            actor=actor,
            action=AuditAction.OBSERVATION_HANDLED,
            area=observation.area,
            municipality=observation.municipality,
            detail=f"{observation.pk}: {observation.category}",
        )
    return observation


def export(*, actor: User, observations: QuerySet[Observation]) -> list[Observation]:
    """The observations for a CSV download, recorded once per municipality they cover."""
    if not permissions.can_see_observations(actor):
        raise PermissionDenied
    rows = list(observations.filter(permissions.visible_observations(actor)))
    # An empty export is recorded too: someone looked.
    municipality_ids: list[int | None] = [*sorted({row.municipality_id for row in rows})] or [None]
    for municipality_id in municipality_ids:
        record(
            actor=actor,
            action=AuditAction.OBSERVATIONS_EXPORTED,
            municipality=municipality_id,
            detail=_count_detail(rows, municipality_id),
        )
    return rows


def _count_detail(rows: list[Observation], municipality_id: int | None) -> str:
    return f"{sum(1 for row in rows if row.municipality_id == municipality_id)} observations"
