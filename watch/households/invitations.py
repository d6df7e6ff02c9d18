"""Invitations to a household or an area.

An invitation is a signed token in an e-mailed link, not a row: it names the
household or area, the invited address and the inviter, and expires after two
weeks. Accepting is naturally single-use: a user with a household cannot be
attached again, a member household cannot join again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.notices.services import notify_addresses
from watch import permissions
from watch.areas.models import WatchArea
from watch.audit.models import AuditAction
from watch.audit.services import record
from watch.households import selectors
from watch.households.models import (
    Household,
    HouseholdMember,
    Membership,
    MembershipStatus,
)
from watch.households.services import approve_request, request_membership
from watch.households.signals import joined_area

INVITATION_MAX_AGE = timedelta(days=14)


_INVITATION_SALT = "watch.invitation"


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
        data = signing.loads(token, salt=_INVITATION_SALT, max_age=INVITATION_MAX_AGE)
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
        with transaction.atomic():
            HouseholdMember.objects.create(user=user, household=household)
            membership = selectors.current_membership(household)
            if membership is not None and membership.status == MembershipStatus.APPROVED:
                joined_area.send(sender=Membership, area=membership.area, user_ids=[user.pk])
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
