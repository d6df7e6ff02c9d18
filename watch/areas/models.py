"""Municipalities and their watch areas: where neighbourhood watch happens.

Each area keeps its boundary as GeoJSON and its bounding box in indexed columns
(``watch.areas.geometry``); saving or deleting an area or a municipality moves the
areas' version, so every process rebuilds what it derived from them (watch/apps.py).
"""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.validators import single_line
from watch.areas.geometry import shapes


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(
        _("municipality code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("A municipality code has four digits."))],
        help_text=_("Statistics Sweden's four-digit code, e.g. 1493 for Mariestad."),
    )
    slug = models.SlugField(_("slug"), unique=True)
    how_to_start = models.TextField(
        _("how to start neighbourhood watch"),
        blank=True,
        max_length=4000,
        help_text=_("Shown on the municipality's public page."),
    )
    households_total = models.PositiveIntegerField(
        _("households in the municipality"),
        null=True,
        blank=True,
        help_text=_("For the coverage figure in the statistics; leave empty if unknown."),
    )
    # Drawn under the areas when the background map cannot be loaded, so a map without
    # tiles still shows where it is. Loaded from official data, simplified for display:
    # manage.py load_municipality_boundaries (README "Maps without a background map").
    boundary = models.JSONField(_("border"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AreaStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


class WatchAreaQuerySet(models.QuerySet["WatchArea"]):
    def active(self) -> WatchAreaQuerySet:
        return self.filter(status=AreaStatus.ACTIVE)

    def bbox_contains(self, lon: float, lat: float) -> WatchAreaQuerySet:
        """Areas whose bounding box contains the point: the indexed first step of locate."""
        return self.filter(min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat)

    def bbox_intersects(self, box: shapes.BBox) -> WatchAreaQuerySet:
        return self.filter(
            min_lon__lte=box.max_lon,
            max_lon__gte=box.min_lon,
            min_lat__lte=box.max_lat,
            max_lat__gte=box.min_lat,
        )


class WatchArea(models.Model):
    """A grannsamverkansområde: a polygon on the map whose households watch together."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="areas", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=120, validators=[single_line])
    description = models.TextField(_("description"), blank=True, max_length=4000)
    status = models.CharField(
        _("status"), max_length=16, choices=AreaStatus.choices, default=AreaStatus.PROPOSED
    )
    # RFC 7946 GeoJSON (WGS84 longitude/latitude), a Polygon or MultiPolygon,
    # validated by watch.areas.geometry before it is stored.
    boundary = models.JSONField(_("boundary"))
    # The boundary's bounding box, kept in sync in save(); indexed so locating a
    # point or intersecting a shape is an index scan, and shapely only does the
    # exact test on the few candidates.
    min_lon = models.FloatField(editable=False)
    min_lat = models.FloatField(editable=False)
    max_lon = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)
    start_meeting_date = models.DateField(_("start meeting"), null=True, blank=True)
    # The yearly check that the area still lives (watch.areas.upkeep): when a contact
    # last confirmed it, and when the contacts and then the coordinators were reminded.
    confirmed_at = models.DateTimeField(_("last confirmed active"), null=True, blank=True)
    confirmation_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    coordinators_told_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = WatchAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("watch area")
        verbose_name_plural = _("watch areas")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="watch_area_name_unique_in_municipality"
            )
        ]
        indexes = [
            models.Index(fields=["min_lon", "min_lat"], name="watch_area_bbox_min"),
            models.Index(fields=["max_lon", "max_lat"], name="watch_area_bbox_max"),
            models.Index(fields=["municipality", "status"], name="watch_area_mun_status"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        box = shapes.bbox_of(self.shape)
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = box.as_tuple()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "boundary" in update_fields:
            kwargs["update_fields"] = {*update_fields, "min_lon", "min_lat", "max_lon", "max_lat"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("watch:area_detail", args=[self.pk])

    @property
    def shape(self) -> shapes.Boundary:
        return shapes.load_trusted(self.boundary)
