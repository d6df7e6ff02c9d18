"""The audit log: who did what, and when, among officials and area contacts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from watch.areas.models import Municipality, WatchArea


class AuditAction(models.TextChoices):
    AREA_CREATED = "area_created", _("Area created")
    AREA_UPDATED = "area_updated", _("Area updated")
    AREA_CONFIRMED = "area_confirmed", _("Area confirmed active")
    AREA_CLOSED = "area_closed", _("Area closed")
    AREA_REVIVED = "area_revived", _("Area revived")
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
    OBSERVATION_UPDATED = "observation_updated", _("Observation's status changed")
    OBSERVATION_MERGED = "observation_merged", _("Observation merged into another")
    OBSERVATIONS_EXPORTED = "observations_exported", _("Observations exported")
    REPLY_WRITTEN = "reply_written", _("Reply to an alert written")
    REPLY_ANSWERED = "reply_answered", _("Reply to an alert answered")
    CONVERSATION_CLOSED = "conversation_closed", _("Conversation about an alert closed")
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
