"""The area's signs ("Grannsamverkan" street signs) and how they fare.

Signs go up once an area is active (ordered from Stöldskyddsföreningen); they tell a
would-be burglar that neighbours watch, so a missing or broken one matters. Each sign is
a point on the area's map with the date it went up and its condition, kept current by the
contacts and by members' reports.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.validators import single_line
from watch.areas.models import WatchArea


class SignCondition(models.TextChoices):
    GOOD = "good", _("Good")
    WORN = "worn", _("Worn or faded")
    DAMAGED = "damaged", _("Damaged")
    MISSING = "missing", _("Missing")


class Sign(models.Model):
    area = models.ForeignKey(
        WatchArea, on_delete=models.CASCADE, related_name="signs", verbose_name=_("area")
    )
    longitude = models.FloatField(_("longitude"))
    latitude = models.FloatField(_("latitude"))
    place = models.CharField(
        _("where"),
        max_length=120,
        blank=True,
        validators=[single_line],
        help_text=_("So others find it, e.g. “the corner of Ekvägen and Lindvägen”."),
    )
    put_up_on = models.DateField(_("put up"), null=True, blank=True)
    condition = models.CharField(
        _("condition"), max_length=16, choices=SignCondition.choices, default=SignCondition.GOOD
    )
    checked_at = models.DateTimeField(_("condition last reported"), default=timezone.now)

    class Meta:
        verbose_name = _("sign")
        verbose_name_plural = _("signs")
        ordering = ["area", "place", "pk"]

    def __str__(self) -> str:
        return self.place or f"{self.latitude:.5f}, {self.longitude:.5f}"


class SignReport(models.Model):
    """A member's word on a sign: kept, so a contact sees who said what and when."""

    sign = models.ForeignKey(Sign, on_delete=models.CASCADE, related_name="reports")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    condition = models.CharField(_("condition"), max_length=16, choices=SignCondition.choices)
    note = models.CharField(_("note"), max_length=300, blank=True, validators=[single_line])
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)

    class Meta:
        verbose_name = _("sign report")
        verbose_name_plural = _("sign reports")
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"{self.sign}: {self.get_condition_display()}"
