"""What the members of an area do together: meetings, away notices (the digital
grannlapp) and observations reported to the municipality.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from config.validators import single_line
from watch.areas.models import Municipality, WatchArea
from watch.households.models import Household


class MeetingKind(models.TextChoices):
    START = "start", _("Start meeting")
    NEIGHBOURS = "neighbours", _("Neighbour meeting")


class Meeting(models.Model):
    """An area's start meeting with the police, or a yearly neighbour meeting."""

    area = models.ForeignKey(WatchArea, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=140, validators=[single_line])
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=200, validators=[single_line])
    description = models.TextField(_("description"), blank=True, max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # RFC 5545 SEQUENCE: bumped on every change so calendars replace the old copy.
    sequence = models.PositiveIntegerField(default=0)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="watch_meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ObservationCategory(models.TextChoices):
    GRAFFITI = "graffiti", _("Graffiti")
    FLY_POSTING = "fly_posting", _("Fly-posting")
    VANDALISM = "vandalism", _("Vandalism")
    SUSPICIOUS = "suspicious", _("Suspicious activity")
    OTHER = "other", _("Other")


class ObservationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    HANDLING = "handling", _("Being handled")
    HANDLED = "handled", pgettext_lazy("an observation's status", "Handled")
    POLICE = "police", _("Passed to the police")


# Where a report ends: no further change.
CLOSED_STATUSES = (ObservationStatus.HANDLED, ObservationStatus.POLICE)


class Observation(models.Model):
    """Something a member saw (graffiti, fly-posting, vandalism...) reported to officials."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="observations"
    )
    area = models.ForeignKey(
        WatchArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="observations"
    )
    category = models.CharField(_("category"), max_length=16, choices=ObservationCategory.choices)
    observed_at = models.DateTimeField(_("when"))
    longitude = models.FloatField(_("longitude"))
    latitude = models.FloatField(_("latitude"))
    description = models.TextField(_("what you saw"), max_length=4000)
    photo = models.ImageField(_("photo"), upload_to="observations/%Y/%m/", blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ObservationStatus.choices,
        default=ObservationStatus.RECEIVED,
    )
    # When and by whom it was closed: handled, or passed to the police.
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A report of the same thing as another: it follows that one's status from then on,
    # and its reporter hears what that one's reporter hears.
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-observed_at"]
        indexes = [
            models.Index(
                fields=["municipality", "category", "observed_at"], name="watch_obs_filter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.observed_at:%Y-%m-%d}"


class ObservationUpdate(models.Model):
    """A step in a report's history, as its reporter sees it on "My reports"."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=10, choices=ObservationStatus.choices)
    # To the reporter: what was done, or why it went to the police.
    message = models.TextField(_("message to the reporter"), max_length=2000, blank=True)
    # Set when this step is the report being merged into another.
    merged_into = models.ForeignKey(
        Observation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("observation update")
        verbose_name_plural = _("observation updates")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.observation_id}: {self.status}"


class AwayNotice(models.Model):
    """A digital grannlapp: the household is away between two dates."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="away_notices")
    starts_on = models.DateField(_("away from"))
    ends_on = models.DateField(_("back on"))
    tell_neighbours = models.BooleanField(
        _("also tell the other members of my area"), default=False
    )
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("For example who has a key, or whose car may be in the driveway."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("away notice")
        verbose_name_plural = _("away notices")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="watch_away_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household}: {self.starts_on} - {self.ends_on}"
