"""What a municipality's public page shows besides its areas: its contact people and
its citizen promise (medborgarlöfte).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from config.validators import single_line
from watch.areas.models import Municipality


class ContactRole(models.TextChoices):
    MUNICIPAL_POLICE = "kommunpolis", _("Municipal police officer")
    SECURITY_COORDINATOR = "sakerhetssamordnare", _("Security coordinator")


class MunicipalityContact(models.Model):
    """A public contact on the municipality's page (the seed's kommunpolis and coordinator)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="contacts"
    )
    role = models.CharField(_("role"), max_length=32, choices=ContactRole.choices)
    name = models.CharField(_("name"), max_length=150, validators=[single_line])
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("municipality contact")
        verbose_name_plural = _("municipality contacts")
        ordering = ["municipality", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "role", "name"], name="watch_contact_unique_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class PromiseStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Not done")


class CitizenPromise(models.Model):
    """A medborgarlöfte: what the police and the municipality promise for a year."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="citizen_promises"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    introduction = models.TextField(_("introduction"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("citizen promise")
        verbose_name_plural = _("citizen promises")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="watch_one_promise_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"


class PromiseItem(models.Model):
    promise = models.ForeignKey(CitizenPromise, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(_("promise"), max_length=500)
    status = models.CharField(
        _("status"), max_length=16, choices=PromiseStatus.choices, default=PromiseStatus.PLANNED
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("promise")
        verbose_name_plural = _("promises")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text
