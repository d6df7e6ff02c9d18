"""Observations: what members saw (graffiti, fly-posting, vandalism...), for the municipality.

A member of an area reports a category, a time, a point and a text, perhaps a photo
(cleaned by ``config.photos``). The point decides where it goes: the active area that
covers it (its contacts are told) and that area's municipality (its coordinators are
told). A point outside every area goes to the reporter's own municipality, since
municipalities have no boundaries here; the coordinators see the point on the map.

Who may see, handle and export observations is ``permissions.visible_observations``.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config.photos import CleanPhoto
from notifications.answers import services as answers
from notifications.notices.services import notify_users
from watch import dates, permissions
from watch.areas import selectors as area_selectors
from watch.areas.models import AreaStatus, Municipality, WatchArea
from watch.audit.models import AuditAction
from watch.audit.services import record
from watch.community.models import (
    CLOSED_STATUSES,
    Observation,
    ObservationStatus,
    ObservationUpdate,
)
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
    *,
    reporter: User,
    details: ObservationDetails,
    photo: CleanPhoto | None = None,
    same_as: Observation | None = None,
) -> Observation:
    """A new report; with ``same_as`` (one of ``nearby``), added to that one: it follows
    that one's status, and its reporter hears what that one's reporter hears."""
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
    if same_as is not None:
        if same_as.status in CLOSED_STATUSES or same_as not in nearby(
            category=details.category, longitude=details.longitude, latitude=details.latitude
        ):
            raise ValidationError(_("That report is not an open one near here."))
        observation.merged_into = same_as
        observation.status = same_as.status
        observation.handled_at, observation.handled_by = same_as.handled_at, same_as.handled_by
    if photo is not None:
        # A random name: the file name says nothing about the member, the place or the
        # time, and cannot be guessed.
        observation.photo.save(
            f"{uuid.uuid4().hex}.{photo.extension}", ContentFile(photo.content), save=False
        )
    try:
        with transaction.atomic():
            observation.save()
            if same_as is not None:
                ObservationUpdate.objects.create(
                    observation=observation,
                    status=same_as.status,
                    merged_into=same_as,
                    author=reporter,
                )
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


def change_status(
    *, actor: User, observation: Observation, status: str, message: str = ""
) -> Observation:
    """Move a report on (received → being handled → handled, or passed to the police),
    tell its reporters, with the handler's message if there is one, and record it.

    The reports merged into it follow it. A closed report stays closed; a report merged
    into another is changed through that one.
    """
    if not Observation.objects.filter(
        permissions.visible_observations(actor), pk=observation.pk
    ).exists():
        raise PermissionDenied
    if observation.merged_into_id is not None:
        raise ValidationError(_("This report is merged into another: change that one."))
    if status not in NEXT_STATUSES.get(observation.status, ()):
        raise ValidationError(_("This report has already been closed."))
    if status == ObservationStatus.POLICE and not message.strip():
        raise ValidationError({"message": _("Say why it goes to the police.")})
    now = timezone.now()
    closing = status in CLOSED_STATUSES
    changes: dict[str, object] = {"status": status}
    if closing:
        changes |= {"handled_at": now, "handled_by": actor}
    with transaction.atomic():
        # Conditional update: of two officials acting at once, the first one counts.
        if not Observation.objects.filter(pk=observation.pk, status=observation.status).update(
            **changes
        ):
            raise ValidationError(_("Someone else changed this report meanwhile. Look again."))
        Observation.objects.filter(merged_into=observation).update(**changes)
        ObservationUpdate.objects.create(
            observation=observation, status=status, message=message, author=actor
        )
        _tell_reporters(observation, status=status, message=message)
        record(
            actor=actor,
            action=AuditAction.OBSERVATION_HANDLED if closing else AuditAction.OBSERVATION_UPDATED,
            area=observation.area,
            municipality=observation.municipality,
            detail=f"{observation.pk}: {observation.category} → {status}",
        )
    for field, value in changes.items():
        setattr(observation, field, value)
    return observation


# What a report may become from each status.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    ObservationStatus.RECEIVED: (ObservationStatus.HANDLING, *CLOSED_STATUSES),
    ObservationStatus.HANDLING: CLOSED_STATUSES,
}


def merge(*, actor: User, observation: Observation, into: Observation) -> Observation:
    """``observation`` reports the same thing as ``into``: it follows ``into`` from now
    on, with the reports already merged into it, and their reporters are told."""
    visible = Observation.objects.filter(permissions.visible_observations(actor))
    if not visible.filter(pk__in=[observation.pk, into.pk]).count() == 2:
        raise PermissionDenied
    if observation.pk == into.pk or into.merged_into_id is not None:
        raise ValidationError(_("Choose a report that is not merged into another."))
    if observation.merged_into_id is not None:
        raise ValidationError(_("This report is already merged into another."))
    with transaction.atomic():
        group = Observation.objects.filter(Q(pk=observation.pk) | Q(merged_into=observation))
        followers = list(group.values_list("pk", flat=True))
        if not Observation.objects.filter(pk=observation.pk, merged_into__isnull=True).update(
            merged_into=into
        ):
            raise ValidationError(_("Someone else changed this report meanwhile. Look again."))
        Observation.objects.filter(pk__in=followers).update(
            merged_into=into,
            status=into.status,
            handled_at=into.handled_at,
            handled_by=into.handled_by,
        )
        ObservationUpdate.objects.create(
            observation=observation, status=into.status, merged_into=into, author=actor
        )
        _tell_reporters(observation, status=into.status, merged_into=into.pk, followers=followers)
        record(
            actor=actor,
            action=AuditAction.OBSERVATION_MERGED,
            area=observation.area,
            municipality=observation.municipality,
            detail=f"{observation.pk} → {into.pk}",
        )
    observation.merged_into = into
    return observation


def _tell_reporters(
    observation: Observation,
    *,
    status: str,
    message: str = "",
    merged_into: int | None = None,
    followers: list[int] | None = None,
) -> None:
    """Tell the reporters of the report and of those merged into it (each once), by the
    channels they chose for answers."""
    reports = Q(pk__in=followers) if followers is not None else Q(pk=observation.pk)
    if followers is None:
        reports |= Q(merged_into=observation)
    reporters = User.objects.filter(
        pk__in=Observation.objects.filter(reports).values("reporter"), is_active=True
    ).order_by("pk")
    answers.tell(
        users=reporters,
        path=reverse("watch:my_observations"),
        template="watch/observation_update",
        context={
            "number": observation.pk,
            "category": observation.category,
            "status": status,
            "message": message,
            "merged_into": merged_into,
        },
    )


NEARBY_METRES = 50
NEARBY_DAYS = 7


def area_outlines(items: Iterable[Observation]) -> list[object]:
    """The boundaries of the areas ``items`` were made in, for the map beside them."""
    area_ids = {item.area_id for item in items if item.area_id is not None}
    return list(WatchArea.objects.filter(pk__in=area_ids).values_list("boundary", flat=True))


def nearby(*, category: str, longitude: float, latitude: float) -> list[Observation]:
    """Reports of the same category within 50 m in the last 7 days, not merged into
    another: "Is it one of these?" before a member sends a new one."""
    # A box around the point first (an index can answer it), then the true distance.
    dlat = NEARBY_METRES / METRES_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(latitude)), 0.01)
    candidates = Observation.objects.filter(
        category=category,
        merged_into__isnull=True,
        created_at__gte=timezone.now() - timedelta(days=NEARBY_DAYS),
        longitude__range=(longitude - dlon, longitude + dlon),
        latitude__range=(latitude - dlat, latitude + dlat),
    ).order_by("-created_at")[:20]
    return [
        candidate
        for candidate in candidates
        if metres_between(longitude, latitude, candidate.longitude, candidate.latitude)
        <= NEARBY_METRES
    ]


METRES_PER_DEGREE = 111_320


def metres_between(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Equirectangular: within a few hundred metres, off by far less than a metre."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6_371_000 * math.hypot(x, y)


@dataclass(frozen=True)
class MyReport:
    observation: Observation
    history: list[ObservationUpdate]


def my_reports(user: User) -> list[MyReport]:
    """The user's own reports, newest first, each with its history: its own steps, then
    those of the report it was merged into, from the merge on. Two queries."""
    reports = list(
        Observation.objects.filter(reporter=user)
        .select_related("municipality", "area")
        .order_by("-created_at", "-pk")
    )
    ids = {r.pk for r in reports} | {r.merged_into_id for r in reports if r.merged_into_id}
    steps: dict[int, list[ObservationUpdate]] = {}
    for update in ObservationUpdate.objects.filter(observation__in=ids):
        steps.setdefault(update.observation_id, []).append(update)
    mine = []
    for report in reports:
        own = steps.get(report.pk, [])
        merged_at = next((u.created_at for u in own if u.merged_into_id), None)
        followed = [
            u
            for u in steps.get(report.merged_into_id or 0, [])
            if merged_at is not None and u.created_at > merged_at
        ]
        mine.append(MyReport(report, own + followed))
    return mine


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
