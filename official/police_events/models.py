"""Events from the police's public event list (polisen.se), per municipality."""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from watch.areas.models import Municipality


class PoliceEvent(models.Model):
    """One event as the police published it. Shown linked to polisen.se, never as an
    alert of this service; an official may start an alert from it."""

    police_id = models.PositiveBigIntegerField(_("police event number"), unique=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="police_events",
        verbose_name=_("municipality"),
    )
    # The time the police gave the event; its place is the municipality's centre, not
    # where it happened, so it is not kept.
    happened_at = models.DateTimeField(_("time"))
    name = models.CharField(_("name"), max_length=300)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    url = models.URLField(_("link"), max_length=500)
    type = models.CharField(_("type"), max_length=100)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("police event")
        verbose_name_plural = _("police events")
        ordering = ["-happened_at", "-police_id"]
        indexes = [
            models.Index(fields=["municipality", "-happened_at"], name="official_event_latest")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def headline(self) -> str:
        """The name without the time the police put first ("05 december 11.51, Inbrott,
        Mariestad" is "Inbrott, Mariestad"): the list shows the time beside it, and an
        alert started from it should not carry it in its title."""
        return _LEADING_TIME.sub("", self.name, count=1) or self.name


# The police's own "day month hour.minute, " before an event's type and place.
_LEADING_TIME = re.compile(r"^\s*\d{1,2} \w+ \d{1,2}[.:]\d{2},\s*")
