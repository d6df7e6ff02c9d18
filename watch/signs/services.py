"""Putting up, changing and taking down an area's signs; members' reports on them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.notices.services import notify_users
from watch import permissions
from watch.areas.models import WatchArea
from watch.households.models import Membership, MembershipStatus
from watch.roles.models import AreaContact, Official, OfficialKind
from watch.signs import selectors
from watch.signs.models import Sign, SignCondition, SignReport

# Signs stand where roads enter the area, often just outside its outline: a point this
# far (in degrees, about 500 m) outside the area's bounding box is still its sign.
NEARBY_DEGREES = 0.005


@dataclass(frozen=True)
class SignDetails:
    longitude: float
    latitude: float
    place: str = ""
    put_up_on: date | None = None
    condition: str = SignCondition.GOOD


def save_sign(
    *, actor: User, area: WatchArea, details: SignDetails, sign: Sign | None = None
) -> Sign:
    if not permissions.can_manage_area(actor, area):
        raise PermissionDenied
    if not (
        area.min_lon - NEARBY_DEGREES <= details.longitude <= area.max_lon + NEARBY_DEGREES
        and area.min_lat - NEARBY_DEGREES <= details.latitude <= area.max_lat + NEARBY_DEGREES
    ):
        raise ValidationError(
            {"latitude": _("Place the sign in the area or where a road enters it.")}
        )
    sign = sign or Sign(area=area)
    condition_changed = sign.pk is None or sign.condition != details.condition
    sign.longitude, sign.latitude = details.longitude, details.latitude
    sign.place, sign.put_up_on, sign.condition = details.place, details.put_up_on, details.condition
    if condition_changed:
        sign.checked_at = timezone.now()
    sign.save()
    return sign


def remove_sign(*, actor: User, sign: Sign) -> None:
    if not permissions.can_manage_area(actor, sign.area):
        raise PermissionDenied
    sign.delete()


def report(*, actor: User, sign: Sign, condition: str, note: str) -> SignReport:
    """A member's report; a damaged or missing sign is news to the area's contacts."""
    if not permissions.can_report_sign(actor, sign.area):
        raise PermissionDenied
    with transaction.atomic():
        entry = SignReport.objects.create(
            sign=sign, reported_by=actor, condition=condition, note=note
        )
        Sign.objects.filter(pk=sign.pk).update(condition=condition, checked_at=entry.reported_at)
        if condition in {SignCondition.DAMAGED, SignCondition.MISSING}:
            contacts = User.objects.filter(
                pk__in=AreaContact.objects.filter(area=sign.area).values("user_id")
            ).exclude(pk=actor.pk)
            notify_users(
                users=contacts,
                template="watch/sign_reported",
                context={
                    "area": sign.area.name,
                    "area_id": sign.area_id,
                    "place": str(sign),
                    "condition": str(SignCondition(condition).label),
                    "note": note,
                },
            )
    return entry


def remind_coordinators() -> int:
    """Run monthly by beat: tell each municipality's coordinators which of its active
    areas have no sign on their map. Returns how many areas were named."""
    bare = list(selectors.without_signs(WatchArea.objects.all()).order_by("name"))
    by_municipality: dict[int, list[str]] = defaultdict(list)
    for area in bare:
        by_municipality[area.municipality_id].append(area.name)
    officials = (
        Official.objects.filter(
            kind=OfficialKind.COORDINATOR, municipalities__in=list(by_municipality)
        )
        .prefetch_related("municipalities")
        .select_related("user")
        .distinct()
    )
    with transaction.atomic():
        for official in officials:
            names = [
                name
                for municipality in official.municipalities.all()
                for name in by_municipality.get(municipality.pk, [])
            ]
            notify_users(
                users=[official.user],
                template="watch/areas_without_signs",
                context={"areas": names},
            )
    return len(bare)


def set_decals(*, actor: User, area: WatchArea, counts: dict[int, int]) -> int:
    """How many decals each member household of ``area`` has (membership id → count);
    ids of other areas' households are ignored. Returns how many changed."""
    if not permissions.can_manage_area(actor, area):
        raise PermissionDenied
    memberships = list(
        Membership.objects.filter(
            area=area, status=MembershipStatus.APPROVED, pk__in=list(counts)
        ).only("pk", "decals")
    )
    changed = [m for m in memberships if m.decals != counts[m.pk]]
    for membership in changed:
        membership.decals = counts[membership.pk]
    Membership.objects.bulk_update(changed, ["decals"])
    return len(changed)
