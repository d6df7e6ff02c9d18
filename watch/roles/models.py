"""The people with a role: area contacts (volunteers who run an area) and officials
(police officers and security coordinators, scoped to municipalities).

What each role may do is ``watch.permissions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from watch.areas.models import Municipality, WatchArea


class AreaContact(models.Model):
    """A volunteer kontaktombud who manages an area's members."""

    area = models.ForeignKey(WatchArea, on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="area_contacts"
    )
    is_main = models.BooleanField(_("main contact"), default=False)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    appointed_at = models.DateTimeField(_("appointed"), default=timezone.now)

    class Meta:
        verbose_name = _("area contact")
        verbose_name_plural = _("area contacts")
        ordering = ["-is_main", "appointed_at"]
        constraints = [
            models.UniqueConstraint(fields=["area", "user"], name="watch_contact_once_per_area"),
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(is_main=True),
                name="watch_one_main_contact_per_area",
                violation_error_message=_(
                    "An area has one main contact: untick the current one and save first."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}, {self.area}"


class OfficialKind(models.TextChoices):
    POLICE = "police", _("Police officer")
    COORDINATOR = "coordinator", _("Security coordinator")


class Official(models.Model):
    """A police officer or municipal security coordinator, scoped to municipalities."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="official"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=OfficialKind.choices)
    municipalities = models.ManyToManyField(
        Municipality, related_name="officials", verbose_name=_("municipalities")
    )

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()})"
