"""Households, the people in them, and their memberships of watch areas.

Rules that involve several rows (one pending request per household, ending a
membership when a household moves) live in ``watch.households.services``; these
models keep single-row invariants and the database constraints that back the
services up under concurrency.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.validators import single_line
from watch.areas.models import Municipality, WatchArea
from watch.households.fields import AddressOrderField, AddressQuerySet, WalkingOrder

postal_code_validator = RegexValidator(
    r"^\d{3} ?\d{2}$", _("Enter a Swedish postal code with five digits, e.g. 542 30.")
)


class Household(WalkingOrder, models.Model):
    street_address = models.CharField(_("street address"), max_length=200, validators=[single_line])
    postal_code = models.CharField(
        _("postal code"), max_length=6, validators=[postal_code_validator]
    )
    town = models.CharField(_("town"), max_length=100, validators=[single_line])
    # Lists of households are in this order: Storgatan 3 before Storgatan 11.
    address_order = AddressOrderField()
    longitude = models.FloatField(_("longitude"))
    latitude = models.FloatField(_("latitude"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = AddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return household_label(self.street_address, self.town)


def household_label(street_address: str, town: str) -> str:
    """A household as it is named everywhere, also where only these columns are read."""
    return f"{street_address}, {town}"


class HouseholdMember(models.Model):
    """A user living in a household. One household per user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="household_member"
    )
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    # The default shows a member's phone and address to their area contacts only.
    share_contact_details = models.BooleanField(
        _("share my phone and address with the other members of my area"), default=False
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.household}"


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Member")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")
    REMOVED = "removed", _("Removed")


class Membership(models.Model):
    """A household's membership of a watch area, with its history.

    requested → approved | declined; approved → left (the household left or moved)
    | removed (an area contact removed it). Rows are never deleted: they are the
    record of who decided what, and when.
    """

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    area = models.ForeignKey(WatchArea, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(
        _("status"), max_length=16, choices=MembershipStatus.choices, default="requested"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Window decals ("Grannsamverkan" stickers) the contacts handed to the household.
    decals = models.PositiveSmallIntegerField(_("decals"), default=0)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-requested_at"]
        constraints = [
            # The database backs up the services: a double-clicked join button or
            # two contacts approving at once cannot create a second open row.
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status="requested"),
                name="watch_one_pending_request_per_household",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status="approved"),
                name="watch_one_active_membership_per_household",
            ),
        ]
        indexes = [models.Index(fields=["area", "status"], name="watch_membership_area_status")]

    def __str__(self) -> str:
        return f"{self.household} in {self.area} ({self.status})"


class Interest(models.Model):
    """A household no active area covers, interested in starting neighbourhood watch."""

    household = models.OneToOneField(Household, on_delete=models.CASCADE, related_name="interest")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.SET_NULL, null=True, blank=True, related_name="interests"
    )
    may_contact = models.BooleanField(
        _("the coordinator may contact me about starting neighbourhood watch"), default=False
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")

    def __str__(self) -> str:
        return str(self.household)
