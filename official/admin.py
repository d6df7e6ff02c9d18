from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from official.crisis_news.models import CrisisNews
from official.fetching import FeedState
from official.police_events.models import PoliceEvent
from official.public_warnings.models import PublicWarning


class ImportedAdmin(admin.ModelAdmin):
    """What the providers published is theirs: read here, never edited or added by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(PoliceEvent)
class PoliceEventAdmin(ImportedAdmin):
    list_display = ("name", "municipality", "happened_at", "type")
    list_filter = ("municipality", "type")
    search_fields = ("name", "summary")
    date_hierarchy = "happened_at"


@admin.register(PublicWarning)
class PublicWarningAdmin(ImportedAdmin):
    list_display = ("headline", "sent_at", "msg_type", "expires_at", "ended_at", "ending")
    list_filter = ("ending", "municipalities")
    search_fields = ("identifier", "headline", "description")
    date_hierarchy = "sent_at"


@admin.register(CrisisNews)
class CrisisNewsAdmin(ImportedAdmin):
    list_display = ("headline", "published_at", "updated_at")
    list_filter = ("municipalities",)
    search_fields = ("identifier", "headline", "preamble")


@admin.register(FeedState)
class FeedStateAdmin(ImportedAdmin):
    list_display = ("name", "last_call_at", "last_success_at", "failures", "next_call_at")
    readonly_fields = ("last_error",)
