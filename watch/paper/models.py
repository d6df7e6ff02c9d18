"""Households on paper: registered by an area contact with their consent, reached by
letters the contact delivers, and those that said no (their address only).

A paper household is an ordinary ``Household`` with an approved ``Membership`` and no
``HouseholdMember``: dispatch plans per member user, so it sends such a household
nothing electronic, and every page that counts households counts it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.phone import format_for_display, validate_e164_mobile
from config.validators import single_line
from notifications.alerts.models import Alert
from watch.areas.models import WatchArea
from watch.households.models import Household, postal_code_validator

NAMES_MAX_LENGTH = 300


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "signed_form", _("On a signed paper form")
    PHONE = "phone", _("By phone")
    IN_PERSON = "in_person", _("In person, at the door or at a meeting")


class PaperHousehold(models.Model):
    """What the area contact recorded for a household without a login."""

    household = models.OneToOneField(Household, on_delete=models.CASCADE, related_name="paper")
    names = models.CharField(
        _("residents' names"), max_length=NAMES_MAX_LENGTH, validators=[single_line]
    )
    # Kept for the contact to call, and for SMS once paper households get them.
    phone = models.CharField(
        _("mobile phone"), max_length=16, blank=True, validators=[validate_e164_mobile]
    )
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    consent_at = models.DateTimeField(_("consent given"), default=timezone.now)
    consent_how = models.CharField(
        _("how the household agreed"), max_length=16, choices=ConsentMethod.choices
    )
    # Only the SHA-256 of the code: whoever reads the database cannot claim a household.
    claim_code_hash = models.CharField(max_length=64, blank=True)
    claim_code_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("household on paper")
        verbose_name_plural = _("households on paper")

    def __str__(self) -> str:
        return str(self.household)

    @property
    def phone_display(self) -> str:
        return format_for_display(self.phone)


class SaidNo(models.Model):
    """A household that was asked and said no: its address, so it is not asked again and
    the contact's list is complete. No names, no phone."""

    area = models.ForeignKey(WatchArea, on_delete=models.CASCADE, related_name="said_no")
    street_address = models.CharField(_("street address"), max_length=200, validators=[single_line])
    postal_code = models.CharField(
        _("postal code"), max_length=6, validators=[postal_code_validator]
    )
    town = models.CharField(_("town"), max_length=100, validators=[single_line])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("household that said no")
        verbose_name_plural = _("households that said no")

    def __str__(self) -> str:
        return f"{self.street_address}, {self.town}"


class Letter(models.Model):
    """An alert delivered by hand to a paper household. Written when the contact marks it
    delivered: a letter still to deliver is an alert to the area without its row."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    delivered_at = models.DateTimeField(_("delivered"), default=timezone.now)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("letter delivered")
        verbose_name_plural = _("letters delivered")
        constraints = [
            # Two contacts ticking the same letter at once record it once.
            models.UniqueConstraint(
                fields=["alert", "household"], name="watch_one_letter_per_alert_household"
            )
        ]

    def __str__(self) -> str:
        return f"{self.alert} → {self.household}"
