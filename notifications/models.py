"""Alerts, their deliveries, members' choices and the tip library.

An ``Alert`` is recorded before anything is queued. Dispatch resolves its
recipients and writes one ``Delivery`` per (alert, member, channel) — unique, so
a retried dispatch creates nothing twice — and send tasks claim those rows
before sending. The rows are the audit trail that answers "who was told, and when".
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from watch.areas.models import Municipality, WatchArea
from watch.community.models import Meeting

TITLE_MAX_LENGTH = 140
BODY_MAX_LENGTH = 5000


class Kind(models.TextChoices):
    POLICE_ALERT = "police_alert", _("Police alert")
    WARNING = "warning", _("Warning")
    TIP = "tip", _("Crime-prevention tip")
    INFORMATION = "information", _("Information")
    MEETING = "meeting", _("Meeting invitation")


class Severity(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")
    INFO = "info", _("Information")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message (SMS)")
    INAPP = "inapp", _("In the app")


class AlertStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class TargetKind(models.TextChoices):
    AREAS = "areas", _("Chosen areas")
    MUNICIPALITIES = "municipalities", _("All active areas of municipalities")
    SHAPE = "shape", _("Areas around an incident")


class Alert(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="alerts"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.NORMAL
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(
        _("message"),
        max_length=BODY_MAX_LENGTH,
        help_text=_("Plain text. You may use *emphasis*, **bold**, lists and links."),
    )
    # The target as the sender chose it; resolved into ``areas`` when it is sent.
    target_kind = models.CharField(
        _("target"), max_length=16, choices=TargetKind.choices, default=TargetKind.AREAS
    )
    target_areas = models.ManyToManyField(
        WatchArea, blank=True, related_name="+", verbose_name=_("areas")
    )
    target_municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="+", verbose_name=_("municipalities")
    )
    target_shape = models.JSONField(_("shape"), null=True, blank=True)
    # The areas the alert went to, fixed at dispatch, and their municipalities
    # (whose officials see the alert in their history).
    areas = models.ManyToManyField(WatchArea, blank=True, related_name="alerts")
    municipalities = models.ManyToManyField(Municipality, blank=True, related_name="alerts")
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Public alerts are shown on the municipality's page and in its feeds."),
    )
    is_exercise = models.BooleanField(
        _("test or exercise"),
        default=False,
        help_text=_("Every copy is marked as a test."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.DRAFT
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        help_text=_("A meeting invitation carries the meeting as a calendar file."),
    )
    refers_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="updates",
        verbose_name=_("update of"),
        help_text=_("An earlier alert this one corrects or cancels."),
    )
    cancels_original = models.BooleanField(
        _("cancels the earlier alert"),
        default=False,
        help_text=_(
            "The earlier alert no longer holds: say why in the text. Feeds publish this one "
            "as its cancellation."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # When sending started, and when every delivery had been created and queued.
    dispatched_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at"]
        indexes = [
            # The sweep looks for scheduled alerts whose time has come.
            models.Index(
                fields=["publish_at"],
                condition=Q(status="scheduled"),
                name="notif_alert_scheduled_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notifications:alert_detail", args=[self.pk])

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")


class SkipReason(models.TextChoices):
    OPTED_OUT = "opted_out", _("Opted out")
    NO_VERIFIED_PHONE = "no_verified_phone", _("No verified mobile number")
    QUIET_HOURS = "quiet_hours", _("Waiting for quiet hours to end")


class Delivery(models.Model):
    """One message to one member on one channel."""

    # No index of its own: notif_one_delivery_per_channel and notif_delivery_report both
    # begin with the alert, and every status change of a delivery writes each index again.
    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    # A deleted account is anonymised, not removed (accounts.services), so its rows keep
    # counting for the sender; SET_NULL covers a user removed outright in the admin.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="deliveries"
    )
    area = models.ForeignKey(WatchArea, on_delete=models.SET_NULL, null=True, related_name="+")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    reason = models.CharField(max_length=20, choices=SkipReason.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # Not before: retry backoff and quiet hours.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "user", "channel"], name="notif_one_delivery_per_channel"
            )
        ]
        indexes = [
            # The sweep's question, "what is waiting or stuck?", stays cheap however
            # many finished rows there are.
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=Q(status__in=["queued", "sending"]),
                name="notif_delivery_pending",
            ),
            models.Index(fields=["alert", "status", "channel"], name="notif_delivery_report"),
            # The in-app inbox: a member's sent in-app deliveries, newest first.
            models.Index(
                fields=["user", "-created_at"],
                condition=Q(channel="inapp", status="sent"),
                name="notif_delivery_inbox",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id}/{self.user_id}/{self.channel}: {self.status}"


class OutboundEmail(models.Model):
    """One account notice (a join decision, an appointment, an invitation) to one address.

    Recorded in the transaction of the change it reports and sent like a Delivery:
    claimed, sent, its outcome written, retried with backoff, swept if its task is
    lost. Its status is a DeliveryStatus other than ``skipped``.
    """

    to = models.EmailField(max_length=254)
    # Empty for people without an account (an invitation to an address).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_emails",
    )
    language = models.CharField(max_length=8)
    template = models.CharField(max_length=100)
    # JSON-ready values only: it is rendered by a worker, later, maybe after a retry.
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        indexes = [
            # The sweep's question, as for deliveries.
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=Q(status__in=["queued", "sending"]),
                name="notif_outbound_pending",
            ),
            # The retention purge's.
            models.Index(fields=["created_at"], name="notif_outbound_created"),
        ]

    def __str__(self) -> str:
        return f"{self.template} {self.pk}: {self.status}"


class Preference(models.Model):
    """A member's channels for one kind of message. No row means the defaults."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    email = models.BooleanField(_("e-mail"), default=True)
    sms = models.BooleanField(_("SMS"), default=False)
    inapp = models.BooleanField(_("in the app"), default=True)

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notif_one_preference_per_kind"),
            # Police alerts cannot be turned off while a member: in-app always stays.
            models.CheckConstraint(
                condition=~Q(kind="police_alert") | Q(inapp=True),
                name="notif_police_alerts_always_inapp",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


DEFAULT_QUIET_START = time(22, 0)
DEFAULT_QUIET_END = time(7, 0)


class MemberSettings(models.Model):
    """Quiet hours for SMS and the verified mobile number."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    quiet_hours_enabled = models.BooleanField(_("quiet hours for SMS"), default=True)
    quiet_hours_start = models.TimeField(_("quiet from"), default=DEFAULT_QUIET_START)
    quiet_hours_end = models.TimeField(_("quiet until"), default=DEFAULT_QUIET_END)
    # The number that was verified by code; SMS goes only while it equals user.phone.
    verified_phone = models.CharField(max_length=16, blank=True)
    verification_code_hash = models.CharField(max_length=128, blank=True)
    verification_sent_at = models.DateTimeField(null=True, blank=True)
    verification_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("member settings")
        verbose_name_plural = _("member settings")

    def __str__(self) -> str:
        return str(self.user_id)


class Tip(models.Model):
    """A reusable crime-prevention tip from the library."""

    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("text"), max_length=BODY_MAX_LENGTH)
    theme = models.CharField(_("theme"), max_length=80)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        ordering = ["theme", "title"]

    def __str__(self) -> str:
        return self.title


class TipSchedule(models.Model):
    """A tip sent every year on a date to the chosen municipalities (django-celery-beat)."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="schedules")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    municipalities = models.ManyToManyField(Municipality, related_name="+")
    month = models.PositiveSmallIntegerField(_("month"))
    day = models.PositiveSmallIntegerField(_("day"))
    periodic_task = models.OneToOneField(
        "django_celery_beat.PeriodicTask", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("yearly tip")
        verbose_name_plural = _("yearly tips")

    def __str__(self) -> str:
        return f"{self.tip} ({self.day}/{self.month})"
