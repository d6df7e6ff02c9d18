from __future__ import annotations

from typing import Any

from celery.schedules import ParseException
from django.contrib import admin
from django.core.validators import ProhibitNullCharactersValidator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from config.admin_inlines import ConstraintsCheckedInlineFormSet
from notifications.alerts.models import Alert, AlertVersion, Delivery, DispatchRange
from notifications.answers.models import Notice
from notifications.notices.models import BouncingAddress, OutboundEmail, StoppedAddress
from notifications.preferences.models import MemberSettings, Preference
from notifications.push.models import PushSubscription
from notifications.replies.models import Conversation, Reply
from notifications.tips.models import Tip, TipSchedule


class AlertVersionInline(admin.StackedInline):
    model = AlertVersion
    formset = ConstraintsCheckedInlineFormSet
    extra = 0


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    inlines = (AlertVersionInline,)
    list_display = ("title", "kind", "severity", "status", "author", "created_at", "is_exercise")
    list_filter = ("status", "kind", "severity", "is_public", "is_exercise", "municipalities")
    search_fields = ("title", "body")
    raw_id_fields = ("author", "refers_to")
    filter_horizontal = ("target_areas", "target_municipalities")
    # Where it went is dispatch's record, as deliveries are (every copy names it, and
    # notifications.alerts.sender keeps it once read): shown, not edited. The incident's
    # shape is drawn and checked in the composer (watch.areas.geometry.parsing); typed
    # here as raw JSON, "1e309" was a 500 on PostgreSQL.
    readonly_fields = ("areas", "municipalities", "sender_places", "target_shape")
    date_hierarchy = "created_at"


@admin.register(AlertVersion)
class AlertVersionAdmin(admin.ModelAdmin):
    list_display = ("alert", "language", "title")
    list_filter = ("language",)
    search_fields = ("title", "body")
    raw_id_fields = ("alert",)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "alert",
        "user",
        "channel",
        "language",
        "status",
        "reason",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "channel", "reason", "language")
    raw_id_fields = ("alert", "user", "area")
    list_select_related = ("alert", "user")

    # Deliveries are the audit trail of who was told: written by the pipeline only.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(DispatchRange)
class DispatchRangeAdmin(admin.ModelAdmin):
    list_display = ("alert", "first_user_id", "last_user_id", "members", "slices", "done_at")
    raw_id_fields = ("alert",)

    # Dispatch's own bookkeeping: its cursor moves with the rows it wrote.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ("template", "to", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "template")
    search_fields = ("to",)
    raw_id_fields = ("user",)
    date_hierarchy = "created_at"

    # Written by the services that report a change, and by the sender only.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "email", "sms", "inapp", "push")
    list_filter = ("kind",)
    raw_id_fields = ("user",)


@admin.register(MemberSettings)
class MemberSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "alert_language",
        "quiet_hours_enabled",
        "quiet_hours_start",
        "quiet_hours_end",
    )
    raw_id_fields = ("user",)
    exclude = ("verification_code_hash",)


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "label", "created_at")
    raw_id_fields = ("user",)
    # Keys and endpoint are the device's: an administrator removes one, never edits it.
    readonly_fields = ("endpoint", "p256dh", "auth")


@admin.register(Tip)
class TipAdmin(admin.ModelAdmin):
    list_display = ("title", "theme", "created_at")
    list_filter = ("theme",)
    search_fields = ("title", "body")
    raw_id_fields = ("created_by",)


@admin.register(TipSchedule)
class TipScheduleAdmin(admin.ModelAdmin):
    list_display = ("tip", "month", "day", "created_at")
    raw_id_fields = ("tip", "author", "periodic_task")
    filter_horizontal = ("municipalities",)


@admin.register(StoppedAddress)
class StoppedAddressAdmin(admin.ModelAdmin):
    list_display = ("address_hash", "created_at")
    search_fields = ("address_hash",)
    date_hierarchy = "created_at"

    # Written by the recipient's own click only; deleting one (at their request) lets
    # invitations reach the address again.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(BouncingAddress)
class BouncingAddressAdmin(admin.ModelAdmin):
    list_display = ("address_hash", "user", "hard_bounces", "last_bounced_at", "suspended_at")
    list_filter = ("suspended_at",)
    raw_id_fields = ("user",)

    # Counted by the bounce receiver only; deleting one (the member's mailbox works again)
    # lifts the suspension and starts the count afresh.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("alert", "member", "created_at", "last_reply_at", "closed_at")
    raw_id_fields = ("alert", "member", "closed_by")
    date_hierarchy = "created_at"

    # Written by members and handlers on the site only, where who may is checked.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ("conversation", "from_member", "created_at")
    raw_id_fields = ("conversation", "author")
    # The admin's file widget would link the media URL, which skips the permission check
    # of the reply's own photo view.
    exclude = ("photo",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "read_at")
    raw_id_fields = ("user",)
    date_hierarchy = "created_at"

    # Written when an answer is told (notifications.answers), by no one else.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# django-celery-beat's schedules, which the yearly tips keep (notifications.tips.services),
# with what its own admin let through to a 500: a task name with a NUL character
# (PostgreSQL's text cannot hold one) and, once refused, a crontab celery cannot read
# shown again. Its admin is imported first, whatever the order of the apps.
admin.site.unregister([PeriodicTask, CrontabSchedule])


class PeriodicTaskForm(beat_admin.PeriodicTaskForm):
    regtask = beat_admin.TaskChoiceField(
        label=beat_admin.PeriodicTaskForm.base_fields["regtask"].label,
        required=False,
        validators=[ProhibitNullCharactersValidator()],
    )

    def clean(self) -> dict[str, Any]:
        # celery-beat's own check reads both names, which a refused one is not among.
        if self.has_error("task") or self.has_error("regtask"):
            return self.cleaned_data
        return super().clean()


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    form = PeriodicTaskForm


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
    @admin.display(description=_("human readable"))
    def human_readable(self, crontab: CrontabSchedule) -> str:
        try:
            return crontab.human_readable
        except ParseException:
            return str(crontab)
