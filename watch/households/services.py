"""Writes that span rows: households, their memberships and the decisions on them.

Every function takes keyword arguments, checks permission through
``watch.permissions``, and changes state with conditional updates or inside a
transaction so that two people acting at once cannot both win. Decisions are
recorded in the audit log and the affected people are told by e-mail (an account
notice recorded in the same transaction).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.notices.services import notify_users
from watch import permissions
from watch.areas import selectors as area_selectors
from watch.areas.models import AreaStatus, Municipality, WatchArea
from watch.audit.models import AuditAction, AuditEntry
from watch.audit.services import record
from watch.households import selectors
from watch.households.models import (
    Household,
    HouseholdMember,
    Interest,
    Membership,
    MembershipStatus,
)
from watch.households.signals import joined_area


@dataclass(frozen=True)
class Address:
    street_address: str
    postal_code: str
    town: str
    longitude: float
    latitude: float


def register_household(*, user: User, address: Address) -> Household:
    """Create the user's household, or move it: a new address ends the old membership."""
    with transaction.atomic():
        member = (
            HouseholdMember.objects.select_for_update()
            .select_related("household")
            .filter(user=user)
            .first()
        )
        if member is None:
            household = Household.objects.create(**address.__dict__)
            HouseholdMember.objects.create(user=user, household=household)
            return household
        household = member.household
        moved = (household.longitude, household.latitude) != (address.longitude, address.latitude)
        for field, value in address.__dict__.items():
            setattr(household, field, value)
        household.save()
        if moved:
            _end_open_memberships(household=household, actor=user, reason=_("Moved"))
            Interest.objects.filter(household=household).delete()
        return household


def _end_open_memberships(*, household: Household, actor: User, reason: str) -> None:
    now = timezone.now()
    household.memberships.filter(status=MembershipStatus.APPROVED).update(
        status=MembershipStatus.LEFT, ended_by=actor, ended_at=now, reason=reason
    )
    household.memberships.filter(status=MembershipStatus.REQUESTED).update(
        status=MembershipStatus.LEFT, ended_by=actor, ended_at=now, reason=reason
    )


def register_interest(*, user: User, municipality: Municipality, may_contact: bool) -> Interest:
    household = selectors.household_of(user)
    if household is None:
        raise ValidationError(_("Register your household first."))
    if area_selectors.areas_covering(household.longitude, household.latitude):
        raise ValidationError(
            _("An active watch area covers your address: ask to join it instead.")
        )
    interest, _created = Interest.objects.update_or_create(
        household=household,
        defaults={
            "registered_by": user,
            "may_contact": may_contact,
            "municipality": municipality,
        },
    )
    return interest


def request_membership(*, user: User, area: WatchArea) -> Membership:
    household = selectors.household_of(user)
    if household is None:
        raise ValidationError(_("Register your household before asking to join an area."))
    if area.status != AreaStatus.ACTIVE:
        raise ValidationError(_("This area is not taking new members."))
    if area not in area_selectors.areas_covering(household.longitude, household.latitude):
        raise ValidationError(_("Your address is outside this area."))
    open_membership = household.memberships.filter(
        status__in=[MembershipStatus.REQUESTED, MembershipStatus.APPROVED]
    ).first()
    if open_membership is not None:
        raise ValidationError(_already_message(open_membership))
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                household=household, area=area, requested_by=user
            )
            notify_users(
                users=User.objects.filter(area_contacts__area=area),
                template="watch/join_requested",
                context={"area": area.name, "area_id": area.pk},
            )
    except IntegrityError:
        # Lost a race with a second click: the other request stands.
        raise ValidationError(_("Your household has already asked to join an area.")) from None
    return membership


def ask_to_join_home_area(*, user: User) -> Membership | None:
    """Ask to join the active area the user's home is in, if exactly one covers it.

    Where areas overlap, the resident chooses on the start page instead.
    """
    household = selectors.household_of(user)
    if household is None:
        return None
    covering = area_selectors.areas_covering(household.longitude, household.latitude)
    if len(covering) != 1:
        return None
    return request_membership(user=user, area=covering[0])


def _already_message(membership: Membership) -> str:
    if membership.status == MembershipStatus.APPROVED:
        return _("Your household is already a member of %(area)s.") % {"area": membership.area}
    return _("Your household has already asked to join %(area)s.") % {"area": membership.area}


def _decide(
    *,
    actor: User,
    membership: Membership,
    from_status: str,
    to_status: str,
    reason: str,
    action: AuditAction,
    template: str,
) -> Membership:
    if not permissions.can_manage_area(actor, membership.area):
        raise PermissionDenied
    now = timezone.now()
    fields: dict[str, object] = {"status": to_status, "reason": reason}
    if from_status == MembershipStatus.REQUESTED:
        fields |= {"decided_by": actor, "decided_at": now}
    else:
        fields |= {"ended_by": actor, "ended_at": now}
    with transaction.atomic():
        # Conditional update: of two contacts deciding at once, exactly one wins.
        changed = Membership.objects.filter(pk=membership.pk, status=from_status).update(**fields)
        if changed != 1:
            raise ValidationError(_("This request has already been handled."))
        membership.refresh_from_db()
        record(
            actor=actor,
            action=action,
            area=membership.area,
            subject=membership.requested_by,
            detail=f"{membership.household} {reason}".strip(),
        )
        notify_users(
            users=User.objects.filter(household_member__household=membership.household_id),
            template=template,
            context={"area": membership.area.name, "reason": reason},
        )
    return membership


def approve_request(*, actor: User, membership: Membership) -> Membership:
    with transaction.atomic():
        membership = _decide(
            actor=actor,
            membership=membership,
            from_status=MembershipStatus.REQUESTED,
            to_status=MembershipStatus.APPROVED,
            reason="",
            action=AuditAction.REQUEST_APPROVED,
            template="watch/request_approved",
        )
        joined_area.send(
            sender=Membership,
            area=membership.area,
            user_ids=list(membership.household.members.values_list("user_id", flat=True)),
        )
    return membership


def decline_request(*, actor: User, membership: Membership, reason: str) -> Membership:
    return _decide(
        actor=actor,
        membership=membership,
        from_status=MembershipStatus.REQUESTED,
        to_status=MembershipStatus.DECLINED,
        reason=reason,
        action=AuditAction.REQUEST_DECLINED,
        template="watch/request_declined",
    )


def remove_household(*, actor: User, membership: Membership, reason: str) -> Membership:
    return _decide(
        actor=actor,
        membership=membership,
        from_status=MembershipStatus.APPROVED,
        to_status=MembershipStatus.REMOVED,
        reason=reason,
        action=AuditAction.HOUSEHOLD_REMOVED,
        template="watch/household_removed",
    )


def leave_area(*, user: User) -> None:
    household = selectors.household_of(user)
    if household is None:
        raise ValidationError(_("You have no household."))
    changed = household.memberships.filter(
        status__in=[MembershipStatus.APPROVED, MembershipStatus.REQUESTED]
    ).update(status=MembershipStatus.LEFT, ended_by=user, ended_at=timezone.now())
    if not changed:
        raise ValidationError(_("Your household is not a member of any area."))


def members_for_export(*, actor: User, area: WatchArea) -> QuerySet[HouseholdMember]:
    if not permissions.can_manage_area(actor, area):
        raise PermissionDenied
    record(actor=actor, action=AuditAction.MEMBERS_EXPORTED, area=area)
    return selectors.area_members(area)


def set_contact_sharing(*, user: User, share: bool) -> None:
    """Show (or hide) the member's phone, e-mail and address to the rest of their area."""
    changed = HouseholdMember.objects.filter(user=user).update(share_contact_details=share)
    if not changed:
        raise ValidationError(_("Register your household first."))


def leave_household(*, user: User) -> None:
    """Take ``user`` out of their household; the last one out removes it, address and all.

    The household's memberships, interest and away notices go with it (cascade).
    Audit entries about its join requests keep what was decided but no longer where.
    """
    with transaction.atomic():
        # Locked, so that of two last members leaving at once one sees the other gone.
        household = Household.objects.select_for_update().filter(members__user=user).first()
        if household is None:
            return
        HouseholdMember.objects.filter(user=user).delete()
        if household.members.exists():
            return
        label = str(household)
        AuditEntry.objects.filter(
            Q(detail=label) | Q(detail__startswith=f"{label} "),
            area__in=household.memberships.values("area_id"),
        ).update(detail="")
        household.delete()
