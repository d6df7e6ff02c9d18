"""Households on paper: registered by an area contact with their consent, reached by
letters the contact delivers, and those that said no (their address only).

A paper household is an ordinary ``Household`` with an approved ``Membership`` and no
``HouseholdMember``: dispatch plans per member user, so it sends such a household
nothing electronic, and every page that counts households counts it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.phone import format_for_display, validate_e164_mobile
from config.validators import single_line
from notifications.alerts.models import BATCH_SIZE, Alert, Channel
from notifications.outbox.models import Outbox
from watch.areas.models import WatchArea
from watch.households.fields import AddressOrderField, AddressQuerySet, WalkingOrder
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
    # For the contact to call and, once verified, for texts (watch.paper.texts).
    phone = models.CharField(
        _("mobile phone"), max_length=16, blank=True, validators=[validate_e164_mobile]
    )
    # The resident read the code texted to ``phone`` back to a contact: texts go to it.
    # A new number, or the resident's stop link, clears it.
    phone_verified_at = models.DateTimeField(_("number verified"), null=True, blank=True)
    # When the resident stopped texts with the link in one; cleared when verified again.
    texts_stopped_at = models.DateTimeField(_("texts stopped"), null=True, blank=True)
    # The code texted to ``phone`` (notifications.sms.verification): its HMAC only.
    verification_code_hash = models.CharField(max_length=128, blank=True)
    verification_sent_at = models.DateTimeField(null=True, blank=True)
    verification_attempts = models.PositiveSmallIntegerField(default=0)
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

    @property
    def phone_verified(self) -> bool:
        return bool(self.phone) and self.phone_verified_at is not None


class SaidNo(WalkingOrder, models.Model):
    """A household that was asked and said no: its address, so it is not asked again and
    the contact's list is complete. No names, no phone."""

    area = models.ForeignKey(WatchArea, on_delete=models.CASCADE, related_name="said_no")
    street_address = models.CharField(_("street address"), max_length=200, validators=[single_line])
    postal_code = models.CharField(
        _("postal code"), max_length=6, validators=[postal_code_validator]
    )
    town = models.CharField(_("town"), max_length=100, validators=[single_line])
    address_order = AddressOrderField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = AddressQuerySet.as_manager()

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


class PaperText(Outbox):
    """An alert texted to a household on paper whose number a resident verified: one per
    (alert, household), written at dispatch (``watch.paper.texts``).

    Keyed by the household, not its paper record, so a household claimed meanwhile keeps
    its row: the report still counts what was sent. The number is not copied here: the
    text goes to the household's number, if still verified, when it is sent.
    """

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    # When the SMS provider reported the text on the phone (handset receipts).
    delivered_at = models.DateTimeField(null=True, blank=True)

    send_task = "watch.tasks.send_paper_texts"

    class Meta:
        verbose_name = _("text to a household on paper")
        verbose_name_plural = _("texts to households on paper")
        constraints = [
            # A dispatch run twice writes each text once.
            models.UniqueConstraint(
                fields=["alert", "household"], name="watch_one_text_per_alert_household"
            )
        ]
        indexes = [
            # The sweep's "what is waiting or stuck?", as for members' deliveries.
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=Q(status__in=["queued", "sending"]),
                name="watch_papertext_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id}/{self.household_id}: {self.status}"

    @classmethod
    def task_arguments(cls, keys: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        """(ids,) per task, as many as a task of members' texts."""
        ids = [pk for (pk,) in keys]
        size = BATCH_SIZE[Channel.SMS]
        for start in range(0, len(ids), size):
            yield (ids[start : start + size],)
