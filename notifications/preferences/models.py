"""Members' choices: channels per kind of message, quiet hours, the verified number."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications.alerts import languages
from notifications.alerts.models import Kind, Severity

# Not a kind of alert: answers to the member's own replies and reports
# (notifications.answers), chosen like a kind.
ANSWERS = "answers"
PREFERENCE_KINDS = [*Kind.choices, (ANSWERS, _("Answers to my replies and reports"))]
# Kinds whose inbox entry cannot be turned off.
ALWAYS_INAPP = (Kind.POLICE_ALERT.value, ANSWERS)


class Preference(models.Model):
    """A member's channels for one kind of message. No row means the defaults."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    kind = models.CharField(max_length=16, choices=PREFERENCE_KINDS)
    email = models.BooleanField(_("e-mail"), default=True)
    sms = models.BooleanField(_("SMS"), default=False)
    inapp = models.BooleanField(_("in the app"), default=True)
    # Only to members who set up a device (notifications.push).
    push = models.BooleanField(_("push"), default=True)

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
            models.CheckConstraint(
                condition=~Q(kind=ANSWERS) | Q(inapp=True), name="notif_answers_always_inapp"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class SeverityFloor(models.TextChoices):
    """Which messages a channel brings: the lowest severity it lets through."""

    ALL = Severity.INFO.value, _("Everything")
    NORMAL = Severity.NORMAL.value, _("Normal and urgent")
    URGENT = Severity.URGENT.value, _("Only urgent")


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
    # Per channel, on top of the channels chosen per kind: "SMS only when it is urgent".
    # Police alerts reach the inbox whatever inapp_floor says.
    email_floor = models.CharField(
        _("e-mail brings"), max_length=8, choices=SeverityFloor.choices, default=SeverityFloor.ALL
    )
    sms_floor = models.CharField(
        _("SMS brings"), max_length=8, choices=SeverityFloor.choices, default=SeverityFloor.ALL
    )
    inapp_floor = models.CharField(
        _("the app brings"), max_length=8, choices=SeverityFloor.choices, default=SeverityFloor.ALL
    )
    # Separate from the site's language (accounts.User.language): a member may read the
    # site in Swedish and want alerts in Arabic, or the other way round.
    alert_language = models.CharField(
        _("language of alerts"),
        max_length=languages.CODE_MAX_LENGTH,
        default=languages.SWEDISH,
        help_text=_("Alerts written in this language too reach you in it; the others in Swedish."),
    )
    push_floor = models.CharField(
        _("push brings"), max_length=8, choices=SeverityFloor.choices, default=SeverityFloor.ALL
    )
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
