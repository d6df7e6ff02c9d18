"""Writes that span rows: areas, households, memberships and roles.

Every function takes keyword arguments, checks permission through
``watch.permissions``, and changes state with conditional updates or inside a
transaction so that two people acting at once cannot both win. Decisions are
recorded in ``AuditEntry`` and the affected people are told by e-mail after
the transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.services import notify_addresses, notify_users
from watch import geometry, permissions, selectors
from watch.models import (
    AreaContact,
    AreaStatus,
    AuditAction,
    AuditEntry,
    Household,
    HouseholdMember,
    Interest,
    Membership,
    MembershipStatus,
    Municipality,
    WatchArea,
)

MAX_AREA_CONTACTS = 3
INVITATION_MAX_AGE = timedelta(days=14)
_INVITATION_SALT = "watch.invitation"


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


# --- Areas -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaDetails:
    name: str
    boundary: geometry.Boundary
    status: str = AreaStatus.PROPOSED
    description: str = ""
    start_meeting_date: date | None = None
    signs_up: bool = False


def save_area(
    *,
    actor: User,
    municipality: Municipality,
    details: AreaDetails,
    area: WatchArea | None = None,
) -> tuple[WatchArea, list[WatchArea]]:
    """Create ``area`` (None) or update it; return it and the areas it overlaps (a warning)."""
    if not permissions.can_administer_municipality(actor, municipality):
        raise PermissionDenied
    if area is not None and not permissions.can_edit_area(actor, area):
        raise PermissionDenied
    creating = area is None
    if area is None:
        area = WatchArea(municipality=municipality)
    area.municipality = municipality
    area.name = details.name
    area.boundary = geometry.to_geojson(details.boundary)
    area.status = details.status
    area.description = details.description
    area.start_meeting_date = details.start_meeting_date
    area.signs_up = details.signs_up
    with transaction.atomic():
        try:
            with transaction.atomic():
                area.save()
        except IntegrityError:
            raise ValidationError(
                {
                    "name": _("%(municipality)s already has an area with this name.")
                    % {"municipality": municipality.name}
                }
            ) from None
        record(
            actor=actor,
            action=AuditAction.AREA_CREATED if creating else AuditAction.AREA_UPDATED,
            area=area,
            detail=f"{area.name} ({area.status})",
        )
    return area, selectors.overlapping_areas(area)


# --- Households --------------------------------------------------------------------------


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
    if selectors.areas_covering(household.longitude, household.latitude):
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


# --- Memberships -------------------------------------------------------------------------


def request_membership(*, user: User, area: WatchArea) -> Membership:
    household = selectors.household_of(user)
    if household is None:
        raise ValidationError(_("Register your household before asking to join an area."))
    if area.status != AreaStatus.ACTIVE:
        raise ValidationError(_("This area is not taking new members."))
    if area not in selectors.areas_covering(household.longitude, household.latitude):
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
    return _decide(
        actor=actor,
        membership=membership,
        from_status=MembershipStatus.REQUESTED,
        to_status=MembershipStatus.APPROVED,
        reason="",
        action=AuditAction.REQUEST_APPROVED,
        template="watch/request_approved",
    )


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


# --- Area contacts -----------------------------------------------------------------------


def appoint_contact(*, actor: User, area: WatchArea, email: str, is_main: bool) -> AreaContact:
    if not permissions.can_edit_area(actor, area):
        raise PermissionDenied
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(
            {
                "email": _(
                    "Nobody has an account with that e-mail address. Ask them to sign up first."
                )
            }
        )
    with transaction.atomic():
        # Lock the area row so two appointments at once cannot both pass the count.
        WatchArea.objects.select_for_update().filter(pk=area.pk).first()
        contacts = AreaContact.objects.filter(area=area)
        if contacts.filter(user=user).exists():
            raise ValidationError(
                {"email": _("%(name)s is already a contact for this area.") % {"name": user}}
            )
        if contacts.count() >= MAX_AREA_CONTACTS:
            raise ValidationError(
                _("An area has at most %(count)d contacts. Remove one first.")
                % {"count": MAX_AREA_CONTACTS}
            )
        if is_main:
            contacts.filter(is_main=True).update(is_main=False)
        contact = AreaContact.objects.create(
            area=area, user=user, is_main=is_main, appointed_by=actor
        )
        record(actor=actor, action=AuditAction.CONTACT_APPOINTED, area=area, subject=user)
        notify_users(
            users=[user],
            template="watch/contact_appointed",
            context={"area": area.name, "area_id": area.pk},
        )
    permissions.forget_roles(user)
    return contact


def remove_contact(*, actor: User, contact: AreaContact) -> None:
    if not permissions.can_edit_area(actor, contact.area):
        raise PermissionDenied
    with transaction.atomic():
        deleted, _rows = AreaContact.objects.filter(pk=contact.pk).delete()
        if deleted:
            record(
                actor=actor,
                action=AuditAction.CONTACT_REMOVED,
                area=contact.area,
                subject=contact.user,
            )


def members_for_export(*, actor: User, area: WatchArea) -> QuerySet[HouseholdMember]:
    if not permissions.can_manage_area(actor, area):
        raise PermissionDenied
    record(actor=actor, action=AuditAction.MEMBERS_EXPORTED, area=area)
    return selectors.area_members(area)


# --- Invitations -------------------------------------------------------------------------
#
# An invitation is a signed token in an e-mailed link, not a row: it names the
# household or area, the invited address and the inviter, and expires after two
# weeks. Accepting is naturally single-use: a user with a household cannot be
# attached again, a member household cannot join again.


@dataclass(frozen=True)
class Invitation:
    kind: str  # "household" or "area"
    target_id: int
    email: str
    inviter_id: int


def _invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.__dict__, salt=_INVITATION_SALT, compress=True)


def read_invitation(token: str) -> Invitation:
    try:
        data = signing.loads(
            token, salt=_INVITATION_SALT, max_age=INVITATION_MAX_AGE.total_seconds()
        )
        invitation = Invitation(**data)
    except signing.SignatureExpired:
        raise ValidationError(_("This invitation has expired. Ask for a new one.")) from None
    except (signing.BadSignature, TypeError, ValueError):
        raise ValidationError(_("This invitation link is not valid.")) from None
    if invitation.kind not in ("household", "area"):
        # accept_invitation treats anything but "household" as an area invitation.
        raise ValidationError(_("This invitation link is not valid."))
    return invitation


def _send_invitation(*, invitation: Invitation, inviter: User, template: str, name: str) -> None:
    notify_addresses(
        addresses=[invitation.email],
        language=inviter.language,
        template=template,
        context={
            "inviter": inviter.full_name or inviter.email,
            "name": name,
            "path": reverse("watch:invitation", args=[_invitation_token(invitation)]),
        },
    )


def invite_to_household(*, user: User, email: str) -> None:
    household = selectors.household_of(user)
    if household is None:
        raise ValidationError(_("Register your household first."))
    invitation = Invitation("household", household.pk, email.strip().lower(), user.pk)
    _send_invitation(
        invitation=invitation,
        inviter=user,
        template="watch/household_invitation",
        name=str(household),
    )


def invite_to_area(*, actor: User, area: WatchArea, email: str) -> None:
    if not permissions.can_manage_area(actor, area):
        raise PermissionDenied
    invitation = Invitation("area", area.pk, email.strip().lower(), actor.pk)
    with transaction.atomic():
        record(
            actor=actor, action=AuditAction.HOUSEHOLD_INVITED, area=area, detail=invitation.email
        )
        _send_invitation(
            invitation=invitation, inviter=actor, template="watch/area_invitation", name=area.name
        )


def accept_invitation(*, user: User, invitation: Invitation) -> str:
    """Act on an invitation for ``user``; return a message saying what happened."""
    if user.email.lower() != invitation.email:
        raise ValidationError(
            _("This invitation was sent to another e-mail address. Log in with that address.")
        )
    if invitation.kind == "household":
        household = Household.objects.filter(pk=invitation.target_id).first()
        if household is None:
            raise ValidationError(_("This invitation link is not valid."))
        if HouseholdMember.objects.filter(user=user).exists():
            raise ValidationError(_("You already belong to a household."))
        HouseholdMember.objects.create(user=user, household=household)
        return _("You now belong to the household at %(address)s.") % {"address": household}
    area = WatchArea.objects.filter(pk=invitation.target_id).first()
    inviter = User.objects.filter(pk=invitation.inviter_id).first()
    if area is None or inviter is None:
        raise ValidationError(_("This invitation link is not valid."))
    membership = request_membership(user=user, area=area)
    if permissions.can_manage_area(inviter, area):
        # The contact who invited the household has already said yes.
        approve_request(actor=inviter, membership=membership)
        return _("Welcome to %(area)s!") % {"area": area.name}
    return _("Your request to join %(area)s has been sent.") % {"area": area.name}


# --- Personal data -----------------------------------------------------------------------


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
