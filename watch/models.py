"""Municipalities, watch areas, households, memberships and the people with roles.

Rules that involve several rows (one pending request per household, at most three
area contacts, ending a membership when a household moves) live in
``watch/services.py``; these models only keep single-row invariants and the
database constraints that back the services up under concurrency.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from watch import geometry

postal_code_validator = RegexValidator(
    r"^\d{3} ?\d{2}$", _("Enter a Swedish postal code with five digits, e.g. 542 30.")
)


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

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactRole(models.TextChoices):
    MUNICIPAL_POLICE = "kommunpolis", _("Municipal police officer")
    SECURITY_COORDINATOR = "sakerhetssamordnare", _("Security coordinator")


class MunicipalityContact(models.Model):
    """A public contact on the municipality's page (the seed's kommunpolis and coordinator)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="contacts"
    )
    role = models.CharField(_("role"), max_length=32, choices=ContactRole.choices)
    name = models.CharField(_("name"), max_length=150)
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

    def bbox_intersects(self, box: geometry.BBox) -> WatchAreaQuerySet:
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
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    status = models.CharField(
        _("status"), max_length=16, choices=AreaStatus.choices, default=AreaStatus.PROPOSED
    )
    # RFC 7946 GeoJSON (WGS84 longitude/latitude), a Polygon or MultiPolygon,
    # validated by watch.geometry before it is stored.
    boundary = models.JSONField(_("boundary"))
    # The boundary's bounding box, kept in sync in save(); indexed so locating a
    # point or intersecting a shape is an index scan, and shapely only does the
    # exact test on the few candidates.
    min_lon = models.FloatField(editable=False)
    min_lat = models.FloatField(editable=False)
    max_lon = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)
    start_meeting_date = models.DateField(_("start meeting"), null=True, blank=True)
    signs_up = models.BooleanField(_("signs are up"), default=False)
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
        box = geometry.bbox_of(self.shape)
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = box.as_tuple()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "boundary" in update_fields:
            kwargs["update_fields"] = {*update_fields, "min_lon", "min_lat", "max_lon", "max_lat"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("watch:area_detail", args=[self.pk])

    @property
    def shape(self) -> geometry.Boundary:
        return geometry.load_trusted(self.boundary)


class Household(models.Model):
    street_address = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(
        _("postal code"), max_length=6, validators=[postal_code_validator]
    )
    town = models.CharField(_("town"), max_length=100)
    longitude = models.FloatField(_("longitude"))
    latitude = models.FloatField(_("latitude"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return f"{self.street_address}, {self.town}"


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
                fields=["area"], condition=Q(is_main=True), name="watch_one_main_contact_per_area"
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


class MeetingKind(models.TextChoices):
    START = "start", _("Start meeting")
    NEIGHBOURS = "neighbours", _("Neighbour meeting")


class Meeting(models.Model):
    """An area's start meeting with the police, or a yearly neighbour meeting."""

    area = models.ForeignKey(WatchArea, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=140)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=200)
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
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
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


class AuditAction(models.TextChoices):
    AREA_CREATED = "area_created", _("Area created")
    AREA_UPDATED = "area_updated", _("Area updated")
    REQUEST_APPROVED = "request_approved", _("Join request approved")
    REQUEST_DECLINED = "request_declined", _("Join request declined")
    HOUSEHOLD_REMOVED = "household_removed", _("Household removed")
    CONTACT_APPOINTED = "contact_appointed", _("Area contact appointed")
    CONTACT_REMOVED = "contact_removed", _("Area contact removed")
    HOUSEHOLD_INVITED = "household_invited", _("Household invited")
    MEMBERS_EXPORTED = "members_exported", _("Member list exported")
    ALERT_SENT = "alert_sent", _("Alert sent")
    ALERT_CANCELLED = "alert_cancelled", _("Alert cancelled")
    OBSERVATION_HANDLED = "observation_handled", _("Observation handled")
    OBSERVATIONS_EXPORTED = "observations_exported", _("Observations exported")
    PERSONAL_DATA_EXPORTED = "personal_data_exported", _("Personal data downloaded")
    ACCOUNT_DELETED = "account_deleted", _("Account deleted")
    MUNICIPALITY_PAGE_UPDATED = "municipality_page_updated", _("Municipality page updated")


class AuditEntry(models.Model):
    """Who did what, and when: the record of officials' and area contacts' actions."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    area = models.ForeignKey(
        WatchArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The person the action was about, if any."),
    )
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
