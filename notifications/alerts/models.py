"""Alerts and their deliveries.

An ``Alert`` is recorded before anything is queued. Dispatch resolves its
recipients and writes one ``Delivery`` per (alert, member, channel) — unique, so
a retried dispatch creates nothing twice — and send tasks claim those rows
before sending (``notifications.outbox``). The rows are the audit trail that
answers "who was told, and when".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.validators import single_line
from notifications.alerts import languages
from notifications.outbox.models import Outbox
from watch.areas.models import Municipality, WatchArea

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
    # Not "Information", the kind's name: the composer offered it twice, meaning two things.
    INFO = "info", _("For information")


# Lowest first: a member's floor for a channel lets through its own severity and above.
SEVERITY_ORDER = (Severity.INFO, Severity.NORMAL, Severity.URGENT)


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    INAPP = "inapp", _("In the app")
    # To each device the member subscribed (notifications.push): one delivery for all.
    PUSH = "push", _("Push")


class AlertStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class SenderRole(models.TextChoices):
    """The role an alert was sent in, as its copies name the sender."""

    POLICE = "police", _("The police")
    COORDINATOR = "coordinator", _("The security coordinator")
    AREA_CONTACT = "area_contact", _("The area contact")
    # An administrator of the service, who holds none of the roles above.
    SITE = "site", _("The service")


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
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH, validators=[single_line])
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
    replies_allowed = models.BooleanField(
        _("members may answer"),
        default=True,
        help_text=_(
            "Members can write to you privately about it; only you and your colleagues "
            "see what they write."
        ),
    )
    # Where its text came from when it was started from official information (the app
    # official): "polisen.se:<event id>" or "vma:<CAP identifier>". Text, not a key:
    # events are purged.
    source = models.CharField(_("source"), max_length=200, blank=True)
    source_url = models.URLField(_("link to the source"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.DRAFT
    )
    # By name: this app knows nothing of meetings (their feature adds the calendar file to
    # the e-mail, notifications.channels.email.register_attachments).
    meeting = models.ForeignKey(
        "watch.Meeting",
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
    # Who sent it, as its copies say: the role and the municipalities or areas it was
    # sent for, by name. Recorded when it is sent (notifications.alerts.sender), so a
    # later change of role or a renamed area does not rewrite what members were told.
    sender_role = models.CharField(
        _("sent as"), max_length=16, choices=SenderRole.choices, blank=True
    )
    sender_places = models.JSONField(_("sent for"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # When sending started, and when every delivery had been created and queued.
    dispatched_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    # The members dispatch found when it planned its ranges (DispatchRange): what the
    # report counts dispatch's progress against while the alert is being sent.
    recipients = models.PositiveIntegerField(_("recipients"), null=True, blank=True)
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

    def get_kind_display(self) -> str:  # type: ignore[no-redef]  # Django allows replacing it
        return kind_label(self.kind)

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def sender_line(self) -> str:
        return sender_line(self.sender_role, self.sender_places)


def kind_label(kind: str) -> str:
    """An alert's kind in the active language. Django's ``get_FOO_display`` builds a dict
    of every kind on each call, and hashing a lazy label translates it: five translations
    per entry of the inbox, a tenth of its template time (docs/performance.md, "The first round").
    One lookup, one translation."""
    try:
        return str(Kind(kind).label)
    except ValueError:  # a kind no longer offered shows as stored, as Django's would
        return kind


def sender_line(role: str, places: list[str]) -> str:
    """Who an alert is from, in the active language ("From the police in Mariestad");
    empty for an alert not yet sent, or sent before senders were recorded."""
    names = get_text_list([str(place) for place in places], gettext("and"))
    if role == SenderRole.POLICE:
        return gettext("From the police in %(places)s") % {"places": names}
    if role == SenderRole.COORDINATOR:
        return gettext("From the security coordinator in %(places)s") % {"places": names}
    if role == SenderRole.AREA_CONTACT:
        return gettext("From the area contact of %(places)s") % {"places": names}
    if role == SenderRole.SITE:
        return gettext("From %(site)s") % {"site": settings.SITE_NAME}
    return ""


class AlertVersion(models.Model):
    """The alert's title and text in another language the deployment lists
    (``notifications.alerts.languages``), for members who chose it; the Swedish text
    stays on the alert itself, for everyone else."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(
        _("language"),
        max_length=languages.CODE_MAX_LENGTH,
        validators=[languages.validate_listed],
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH, validators=[single_line])
    # A TextField's max_length is only its form's: checked here as well, for the service.
    body = models.TextField(
        _("message"), max_length=BODY_MAX_LENGTH, validators=[MaxLengthValidator(BODY_MAX_LENGTH)]
    )

    class Meta:
        verbose_name = _("version in another language")
        verbose_name_plural = _("versions in other languages")
        ordering = ["alert", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "language"], name="notif_one_version_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.language}: {self.title}"


class DispatchRange(models.Model):
    """The recipients of an alert whose user ids lie in one range, dispatched slice by
    slice (``notifications.alerts.delivery``).

    ``cursor`` is the highest user id whose deliveries exist (at first, one below the
    range), moved in the same transaction as the slice's rows: a task that dies
    mid-slice leaves it where it was, and whoever continues starts there. Ranges are
    dispatched independently, by as many workers as are free; the alert is sent when
    the last range is done.
    """

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="dispatch_ranges")
    # Bounds, both inclusive; the last range has no upper bound.
    first_user_id = models.PositiveBigIntegerField()
    last_user_id = models.PositiveBigIntegerField(null=True, blank=True)
    cursor = models.PositiveBigIntegerField(default=0)
    # Up to which user id the send tasks are queued: they go once the slice has committed,
    # and a worker that dies between its commit and queueing them leaves this behind the
    # cursor, for the sweep.
    queued_to = models.PositiveBigIntegerField(default=0)
    members = models.PositiveIntegerField(default=0)
    slices = models.PositiveIntegerField(default=0)
    # When the range was planned or its last slice committed: the sweep continues a
    # range that has not moved for longer than a task can live.
    touched_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dispatch range")
        verbose_name_plural = _("dispatch ranges")
        ordering = ["alert", "first_user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "first_user_id"], name="notif_one_range_per_start"
            )
        ]
        indexes = [
            models.Index(
                fields=["touched_at"],
                condition=Q(done_at__isnull=True),
                name="notif_range_unfinished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id}: {self.first_user_id}-{self.last_user_id or ''}"


# Deliveries per send task: e-mails share one SMTP connection, SMS one HTTP client.
BATCH_SIZE: dict[str, int] = {Channel.EMAIL: 100, Channel.SMS: 50, Channel.PUSH: 100}


class SkipReason(models.TextChoices):
    OPTED_OUT = "opted_out", _("Opted out")
    NO_VERIFIED_PHONE = "no_verified_phone", _("No verified mobile number")
    QUIET_HOURS = "quiet_hours", _("Waiting for quiet hours to end")
    BELOW_SEVERITY = "below_severity", _("Less urgent than the member chose for the channel")
    ADDRESS_SUSPENDED = "address_suspended", _("E-mail address suspended after bounces")


class Delivery(Outbox):
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
    # The language of the version the member was sent: the one they chose if the alert
    # had it, else Swedish (planning.version_language). Fixed at dispatch, so every
    # channel, and the record of what the member was told, say the same.
    language = models.CharField(max_length=languages.CODE_MAX_LENGTH, default=languages.SWEDISH)
    reason = models.CharField(max_length=20, choices=SkipReason.choices, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # When the SMS provider reported the message on the member's phone; sent only says
    # the provider took it (notifications.channels.sms).
    delivered_at = models.DateTimeField(null=True, blank=True)
    # An inbox entry written when the member's household joined the area after the
    # alert went out (notifications.inbox.services.catch_up): what the area was told,
    # for a newcomer to read, but not part of the alert's delivery report.
    joined_later = models.BooleanField(default=False)

    send_task = "notifications.tasks.send_deliveries"
    task_key_fields = ("pk", "channel")

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

    @classmethod
    def task_arguments(cls, keys: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        """(channel, ids) per task: a batch of e-mails goes over one SMTP connection."""
        by_channel: dict[str, list[int]] = defaultdict(list)
        for pk, channel in keys:
            by_channel[channel].append(pk)
        for channel, ids in by_channel.items():
            size = BATCH_SIZE[channel]
            for start in range(0, len(ids), size):
                yield channel, ids[start : start + size]
