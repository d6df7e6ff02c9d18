"""Writes of paper households: registering one (or a "no") with the household's consent,
the claim code a contact prints for it, claiming it, letters marked delivered, and its
mobile number: changed, verified by the code a resident reads to the contact, stopped.

Every function checks permission through ``watch.permissions``. A claim code is stored
as its SHA-256 only and is consumed in the transaction that makes the claimant a
member, under a row lock: of two people entering the same code, one wins.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.alerts.models import Alert
from notifications.sms import verification
from watch import permissions
from watch.areas import selectors as area_selectors
from watch.areas.models import AreaStatus, WatchArea
from watch.households.models import Household, HouseholdMember, Membership, MembershipStatus
from watch.households.services import Address
from watch.households.signals import joined_area
from watch.paper.models import Letter, PaperHousehold, SaidNo

# Long enough for the household to get the letter, find a relative with a computer
# and sign up; a code not used by then is printed again.
CLAIM_CODE_LIFETIME = timedelta(days=90)
# No 0/O, 1/I/L: the code is read off paper and typed in by hand.
CLAIM_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CLAIM_CODE_LENGTH = 12


@dataclass(frozen=True)
class PaperDetails:
    names: str
    phone: str
    consent_how: str


@dataclass(frozen=True)
class ClaimCode:
    code: str  # grouped for reading: ABCD-EFGH-JKMN
    expires_at: datetime


def _check_manager(actor: User, area: WatchArea) -> None:
    if not permissions.can_manage_area(actor, area):
        raise PermissionDenied


def _check_area(actor: User, area: WatchArea, address: Address) -> None:
    _check_manager(actor, area)
    if area.status == AreaStatus.CLOSED:
        raise ValidationError(_("This area is closed."))
    statuses = (AreaStatus.ACTIVE, AreaStatus.PROPOSED, AreaStatus.PAUSED)
    if area not in area_selectors.areas_covering(
        address.longitude, address.latitude, statuses=statuses
    ):
        raise ValidationError(_("This address is outside the area."))


def register_paper_household(
    *, actor: User, area: WatchArea, address: Address, details: PaperDetails
) -> PaperHousehold:
    """A household that agreed to take part without a login: an approved member of
    ``area`` at once, decided by the contact who recorded its consent."""
    _check_area(actor, area, address)
    with transaction.atomic():
        # Locked, so two contacts entering the same form at once do not both add it.
        WatchArea.objects.select_for_update().filter(pk=area.pk).first()
        if Membership.objects.filter(
            area=area,
            status=MembershipStatus.APPROVED,
            household__street_address__iexact=address.street_address,
            household__postal_code=address.postal_code,
        ).exists():
            raise ValidationError(_("A household at this address is already a member."))
        household = Household.objects.create(**address.__dict__)
        now = timezone.now()
        Membership.objects.create(
            household=household,
            area=area,
            status=MembershipStatus.APPROVED,
            requested_by=actor,
            requested_at=now,
            decided_by=actor,
            decided_at=now,
        )
        return PaperHousehold.objects.create(
            household=household,
            names=details.names,
            phone=details.phone,
            consent_by=actor,
            consent_at=now,
            consent_how=details.consent_how,
        )


def record_said_no(*, actor: User, area: WatchArea, address: Address) -> SaidNo:
    _check_area(actor, area, address)
    return SaidNo.objects.create(
        area=area,
        street_address=address.street_address,
        postal_code=address.postal_code,
        town=address.town,
        recorded_by=actor,
    )


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def normalise_claim_code(text: str) -> str:
    """What was typed, as stored: capitals, without the spaces and hyphens of print."""
    return "".join(text.split()).replace("-", "").upper()


def new_claim_code(*, actor: User, paper: PaperHousehold, area: WatchArea) -> ClaimCode:
    """A new code for ``paper``; any earlier one stops working."""
    _check_manager(actor, area)
    code = "".join(secrets.choice(CLAIM_CODE_ALPHABET) for _i in range(CLAIM_CODE_LENGTH))
    expires_at = timezone.now() + CLAIM_CODE_LIFETIME
    PaperHousehold.objects.filter(pk=paper.pk).update(
        claim_code_hash=_hash(code), claim_code_expires_at=expires_at
    )
    grouped = "-".join(code[i : i + 4] for i in range(0, CLAIM_CODE_LENGTH, 4))
    return ClaimCode(code=grouped, expires_at=expires_at)


def claim_household(*, user: User, code: str) -> Household:
    """Make ``user`` the member of the paper household the code was printed for.

    The paper record goes: the household now has a member, who speaks for it with their
    own account (names, phone, choices), and the code with it.
    """
    if HouseholdMember.objects.filter(user=user).exists():
        raise ValidationError(
            _("You already belong to a household. Leave it on your household page first.")
        )
    with transaction.atomic():
        paper = (
            PaperHousehold.objects.select_for_update()
            .select_related("household")
            .filter(
                claim_code_hash=_hash(normalise_claim_code(code)),
                claim_code_expires_at__gt=timezone.now(),
            )
            .first()
        )
        if paper is None:
            raise ValidationError(
                _("This code is not valid: it may have been used already or have expired.")
            )
        household = paper.household
        try:
            # Savepoint: the user's own second claim, a moment earlier, wins (one household
            # per user, the database's unique key); this one changes nothing.
            with transaction.atomic():
                HouseholdMember.objects.create(user=user, household=household)
        except IntegrityError:
            raise ValidationError(
                _("You already belong to a household. Leave it on your household page first.")
            ) from None
        paper.delete()
        areas = WatchArea.objects.filter(
            memberships__household=household, memberships__status=MembershipStatus.APPROVED
        )
        for area in areas:
            joined_area.send(sender=Membership, area=area, user_ids=[user.pk])
    return household


def mark_delivered(
    *, actor: User, area: WatchArea, alert: Alert, households: Iterable[Household]
) -> None:
    """Record the letters of ``alert`` to ``households`` as delivered (once each)."""
    _check_manager(actor, area)
    now = timezone.now()
    Letter.objects.bulk_create(
        [
            Letter(alert=alert, household=household, delivered_at=now, delivered_by=actor)
            for household in households
        ],
        ignore_conflicts=True,
    )


# --- The household's mobile number ----------------------------------------------------------


def change_phone(*, actor: User, paper: PaperHousehold, area: WatchArea, phone: str) -> None:
    """A new number (or none): it is not verified, whatever the last one was, and no code
    sent to the last one verifies it."""
    _check_manager(actor, area)
    PaperHousehold.objects.filter(pk=paper.pk).update(
        phone=phone,
        phone_verified_at=None,
        texts_stopped_at=None,
        verification_code_hash="",
        verification_sent_at=None,
        verification_attempts=0,
    )


def _key(paper: PaperHousehold) -> str:
    """Whose number a code is for (notifications.sms.verification): not a member's."""
    return f"paper{paper.pk}:{paper.phone}"


def send_phone_code(*, actor: User, paper: PaperHousehold, area: WatchArea) -> None:
    """Text a code to the household's number, for the resident to read to the contact."""
    _check_manager(actor, area)
    with transaction.atomic():
        locked = PaperHousehold.objects.select_for_update().get(pk=paper.pk)
        if not locked.phone:
            raise ValidationError(_("Add the household's mobile number first."))
        code = verification.issue(locked, key=_key(locked), now=timezone.now())
        locked.save(
            update_fields=[
                "verification_code_hash",
                "verification_sent_at",
                "verification_attempts",
            ]
        )
    # In the service's language: the household chose none. Who asks, and for what: an
    # older resident is rightly told never to read a code to a stranger.
    with translation.override(settings.LANGUAGE_CODE):
        wording = _(
            "%(contact)s, your neighbourhood watch contact in %(area)s, will ask you for "
            "this code to text you the area's messages: %(code)s. Give it to no one else. "
            "It is valid for 15 minutes."
        )
        verification.text(
            locked.phone, code, wording=wording, contact=actor.full_name, area=area.name
        )


def verify_phone(*, actor: User, paper: PaperHousehold, area: WatchArea, code: str) -> None:
    """The code the resident read out: right, and the alerts to the area are texted to
    the number from now on."""
    _check_manager(actor, area)
    with transaction.atomic():
        locked = PaperHousehold.objects.select_for_update().get(pk=paper.pk)
        error = verification.check(locked, key=_key(locked), code=code, now=timezone.now())
        fields = ["verification_code_hash", "verification_attempts"]
        if not error:
            locked.phone_verified_at, locked.texts_stopped_at = timezone.now(), None
            fields += ["phone_verified_at", "texts_stopped_at"]
        # A wrong try is counted (and committed) before the error is raised.
        locked.save(update_fields=fields)
    if error:
        raise ValidationError(error)


def stop_texts(*, paper: PaperHousehold) -> bool:
    """The resident's stop link: no more texts to the number until a contact verifies it
    again with them. Whether it changed anything (a second click does not)."""
    return bool(
        PaperHousehold.objects.filter(
            pk=paper.pk, phone=paper.phone, phone_verified_at__isnull=False
        ).update(phone_verified_at=None, texts_stopped_at=timezone.now())
    )
