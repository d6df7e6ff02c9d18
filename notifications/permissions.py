"""Who may send what to whom, and who may see an alert's report.

Police and coordinators send any kind of message, to areas of their own
municipalities only; an area contact sends information and meeting invitations
to their own areas only. Officials act only once they have two-factor
authentication (see watch.permissions.Roles.is_official).
"""

from __future__ import annotations

from django.db.models import Q

from notifications.models import Alert, Kind, TargetKind
from watch.models import AreaStatus, Municipality, WatchArea
from watch.permissions import AnyUser, roles_of

CONTACT_KINDS = (Kind.INFORMATION, Kind.MEETING)


def can_compose(user: AnyUser) -> bool:
    roles = roles_of(user)
    return roles.is_admin or roles.is_official or roles.is_area_contact


def allowed_kinds(user: AnyUser) -> list[str]:
    roles = roles_of(user)
    if roles.is_admin or roles.is_official:
        return list(Kind.values)
    if roles.is_area_contact:
        return list(CONTACT_KINDS)
    return []


def allowed_target_kinds(user: AnyUser) -> list[str]:
    roles = roles_of(user)
    if roles.is_admin or roles.is_official:
        return list(TargetKind.values)
    return [TargetKind.AREAS] if roles.is_area_contact else []


def sendable_areas(user: AnyUser) -> Q:
    """A filter on WatchArea: the active areas ``user`` may send to."""
    roles = roles_of(user)
    active = Q(status=AreaStatus.ACTIVE)
    if roles.is_admin:
        return active
    return active & (
        Q(municipality_id__in=roles.municipality_ids) | Q(pk__in=roles.contact_area_ids)
    )


def sendable_municipalities(user: AnyUser) -> Q:
    roles = roles_of(user)
    return Q() if roles.is_admin else Q(pk__in=roles.municipality_ids)


def can_send(user: AnyUser, alert: Alert) -> bool:
    """The whole target must be within the sender's reach, and the kind allowed."""
    if alert.kind not in allowed_kinds(user) or alert.target_kind not in allowed_target_kinds(user):
        return False
    if alert.target_kind == TargetKind.AREAS:
        chosen = alert.target_areas.all()
        return chosen.exists() and not chosen.exclude(sendable_areas(user)).exists()
    chosen_municipalities = alert.target_municipalities.all()
    return (
        chosen_municipalities.exists()
        and not chosen_municipalities.exclude(sendable_municipalities(user)).exists()
    )


def visible_alerts(user: AnyUser) -> Q:
    """A filter on Alert: the sender's own, and every alert to the user's municipalities."""
    roles = roles_of(user)
    if roles.is_admin:
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(author=user) | Q(municipalities__in=roles.municipality_ids)


def areas_for_form(user: AnyUser) -> list[WatchArea]:
    return list(WatchArea.objects.filter(sendable_areas(user)).select_related("municipality"))


def municipalities_for_form(user: AnyUser) -> list[Municipality]:
    return list(Municipality.objects.filter(sendable_municipalities(user)))
