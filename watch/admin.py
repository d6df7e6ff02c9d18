from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from config.admin_inlines import ConstraintsCheckedInlineFormSet
from watch.areas.forms import BoundaryField
from watch.areas.geometry.shapes import to_geojson
from watch.areas.models import Municipality, WatchArea
from watch.audit.models import AuditEntry
from watch.community.models import AwayNotice, Meeting, Observation, ObservationUpdate
from watch.households.models import Household, HouseholdMember, Interest, Membership
from watch.municipality_page.models import CitizenPromise, MunicipalityContact, PromiseItem
from watch.paper.models import Letter, PaperHousehold, PaperText, SaidNo
from watch.roles.models import AreaContact, Official
from watch.signs.models import Sign, SignReport


class MunicipalityContactInline(admin.TabularInline):
    model = MunicipalityContact
    formset = ConstraintsCheckedInlineFormSet
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MunicipalityContactInline]


class WatchAreaAdminForm(forms.ModelForm):
    """The boundary through the same validated map widget as the site's own editor."""

    boundary = BoundaryField()

    class Meta:
        model = WatchArea
        fields = [
            "municipality",
            "name",
            "status",
            "boundary",
            "description",
            "start_meeting_date",
        ]

    def clean_boundary(self) -> dict[str, Any]:
        return to_geojson(self.cleaned_data["boundary"])


class AreaContactInline(admin.TabularInline):
    model = AreaContact
    formset = ConstraintsCheckedInlineFormSet
    fk_name = "area"
    extra = 0
    raw_id_fields = ("user", "appointed_by")


@admin.register(WatchArea)
class WatchAreaAdmin(admin.ModelAdmin):
    form = WatchAreaAdminForm
    list_display = ("name", "municipality", "status", "start_meeting_date")
    list_filter = ("status", "municipality")
    search_fields = ("name",)
    inlines = [AreaContactInline]


class HouseholdMemberInline(admin.TabularInline):
    model = HouseholdMember
    formset = ConstraintsCheckedInlineFormSet
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("street_address", "postal_code", "town")
    search_fields = ("street_address", "postal_code", "town")
    inlines = [HouseholdMemberInline]


@admin.register(MunicipalityContact)
class MunicipalityContactAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "municipality", "phone", "email")
    list_filter = ("role", "municipality")


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "household", "share_contact_details", "joined_at")
    raw_id_fields = ("user", "household")


@admin.register(AreaContact)
class AreaContactAdmin(admin.ModelAdmin):
    list_display = ("user", "area", "is_main", "appointed_at")
    list_filter = ("is_main", "area__municipality")
    raw_id_fields = ("user", "area", "appointed_by")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("household", "area", "status", "requested_at", "decided_at")
    list_filter = ("status", "area__municipality")
    raw_id_fields = ("household", "area", "requested_by", "decided_by", "ended_by")
    list_select_related = ("household", "area")


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ("user", "kind")
    list_filter = ("kind", "municipalities")
    raw_id_fields = ("user",)
    filter_horizontal = ("municipalities",)


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ("household", "municipality", "may_contact", "created_at")
    list_filter = ("municipality", "may_contact")
    raw_id_fields = ("household", "registered_by")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "actor", "area", "municipality", "subject")
    list_filter = ("action", "municipality")
    raw_id_fields = ("actor", "area", "municipality", "subject")

    # The audit trail is written by the services only.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class PromiseItemInline(admin.TabularInline):
    model = PromiseItem
    formset = ConstraintsCheckedInlineFormSet
    extra = 0


@admin.register(CitizenPromise)
class CitizenPromiseAdmin(admin.ModelAdmin):
    list_display = ("municipality", "year")
    list_filter = ("municipality",)
    inlines = [PromiseItemInline]


@admin.register(PromiseItem)
class PromiseItemAdmin(admin.ModelAdmin):
    list_display = ("text", "promise", "status")
    list_filter = ("status", "promise__municipality")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "area", "kind", "starts_at", "cancelled")
    list_filter = ("kind", "cancelled", "area__municipality")
    raw_id_fields = ("area", "created_by")


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ("category", "municipality", "area", "observed_at", "handled_at")
    list_filter = ("category", "municipality", "handled_at")
    raw_id_fields = ("reporter", "area", "handled_by")
    # The admin's file widget would link the media URL and take uploads that skip
    # config.photos (metadata stripping); photos are seen in the observation list.
    exclude = ("photo",)


@admin.register(ObservationUpdate)
class ObservationUpdateAdmin(admin.ModelAdmin):
    list_display = ("observation", "status", "author", "created_at")
    raw_id_fields = ("observation", "merged_into", "author")

    # A step in a report's history, as its reporter was told: written on the site only.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AwayNotice)
class AwayNoticeAdmin(admin.ModelAdmin):
    list_display = ("household", "starts_on", "ends_on", "tell_neighbours")
    raw_id_fields = ("household", "created_by")


class SignReportInline(admin.TabularInline):
    model = SignReport
    formset = ConstraintsCheckedInlineFormSet
    extra = 0
    raw_id_fields = ("reported_by",)


@admin.register(Sign)
class SignAdmin(admin.ModelAdmin):
    list_display = ("__str__", "area", "condition", "put_up_on", "checked_at")
    list_filter = ("condition", "area__municipality")
    raw_id_fields = ("area",)
    inlines = [SignReportInline]


@admin.register(SignReport)
class SignReportAdmin(admin.ModelAdmin):
    list_display = ("sign", "condition", "reported_by", "reported_at")
    list_filter = ("condition",)
    raw_id_fields = ("sign", "reported_by")


@admin.register(PaperHousehold)
class PaperHouseholdAdmin(admin.ModelAdmin):
    list_display = ("household", "names", "consent_how", "consent_at")
    list_filter = ("consent_how",)
    raw_id_fields = ("household", "consent_by")
    # A code is made and shown on the site only; the admin never sees or sets one.
    # A number is verified only by the resident's code, on the site.
    exclude = (
        "claim_code_hash",
        "claim_code_expires_at",
        "verification_code_hash",
        "verification_sent_at",
        "verification_attempts",
    )
    readonly_fields = ("phone_verified_at", "texts_stopped_at")


@admin.register(SaidNo)
class SaidNoAdmin(admin.ModelAdmin):
    list_display = ("street_address", "town", "area", "recorded_at")
    list_filter = ("area__municipality",)
    raw_id_fields = ("area", "recorded_by")


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ("alert", "household", "delivered_at", "delivered_by")
    raw_id_fields = ("alert", "household", "delivered_by")


@admin.register(PaperText)
class PaperTextAdmin(admin.ModelAdmin):
    list_display = ("alert", "household", "status", "attempts", "sent_at", "delivered_at")
    list_filter = ("status",)
    raw_id_fields = ("alert", "household")

    # Like members' deliveries, the record of who was texted: written by the pipeline only.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
