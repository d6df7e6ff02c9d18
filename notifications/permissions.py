"""Who may send what to whom, and who may see an alert's report.

Police and coordinators send any kind of message, to areas of their own
municipalities only; an area contact sends information and meeting invitations
to their own areas only. Officials act only once they have two-factor
authentication (see watch.permissions.Roles.is_official).
"""

from __future__ import annotations

from django.db.models import Q

from notifications.alerts.models import Alert, Kind, SenderRole, TargetKind
from notifications.tips.models import TipSchedule
from watch.areas.models import AreaStatus
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
    # Not Q(): can_send excludes with it, and excluding an empty Q excludes nothing.
    return Q(pk__isnull=False) if roles.is_admin else Q(pk__in=roles.municipality_ids)


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


# --- The tip library (notifications.tips) -----------------------------------------------


def can_use_tip_library(user: AnyUser) -> bool:
    """See the library and send its tips: police, coordinators and admins."""
    roles = roles_of(user)
    return roles.is_admin or roles.is_official


def can_curate_tips(user: AnyUser) -> bool:
    """Add and edit tips: the library is the coordinators' (and admins')."""
    roles = roles_of(user)
    return roles.is_admin or roles.is_coordinator


def can_schedule_tips(user: AnyUser) -> bool:
    """Send tips every year: whoever may send a tip to whole municipalities."""
    return Kind.TIP in allowed_kinds(user) and TargetKind.MUNICIPALITIES in allowed_target_kinds(
        user
    )


def visible_tip_schedules(user: AnyUser) -> Q:
    """A filter on TipSchedule: the user's own, and those to the user's municipalities."""
    roles = roles_of(user)
    if roles.is_admin:
        return Q()
    if not roles.is_official:
        return Q(pk__in=[])
    return Q(author=user) | Q(municipalities__in=roles.municipality_ids)


def can_unschedule_tip(user: AnyUser, schedule: TipSchedule) -> bool:
    """Admins; the author while still an official; a coordinator of all its municipalities.

    So a successor can stop a yearly tip whose author has moved on.
    """
    roles = roles_of(user)
    if roles.is_admin:
        return True
    if not roles.is_official:
        return False
    if schedule.author_id == user.pk:
        return True
    ids = {m.pk for m in schedule.municipalities.all()}
    return roles.is_coordinator and bool(ids) and ids <= roles.municipality_ids


def answerable_alerts(user: AnyUser) -> Q:
    """A filter on Alert: those whose members' replies ``user`` reads and answers.

    The sender's own; an official's or an administrator's alert, to the officials of
    the municipalities it went to; an area contact's message, to the area's contacts.
    """
    roles = roles_of(user)
    if not user.is_authenticated:
        return Q(pk__in=[])
    mine = Q(author=user)
    if roles.is_admin:
        return mine | ~Q(sender_role=SenderRole.AREA_CONTACT)
    official = Q(municipalities__in=roles.municipality_ids) & ~Q(
        sender_role=SenderRole.AREA_CONTACT
    )
    contact = Q(sender_role=SenderRole.AREA_CONTACT, areas__in=roles.contact_area_ids)
    return mine | official | contact
