"""Reads of the tip library."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Prefetch, QuerySet

from notifications import permissions
from notifications.tips.models import Tip, TipSchedule
from notifications.tips.services import date_label
from watch.permissions import AnyUser


def themes() -> list[str]:
    return list(Tip.objects.order_by("theme").values_list("theme", flat=True).distinct())


def visible_schedules(user: AnyUser) -> QuerySet[TipSchedule]:
    """The yearly tips ``user`` may see, each once."""
    return TipSchedule.objects.filter(
        pk__in=TipSchedule.objects.filter(permissions.visible_tip_schedules(user)).values("pk")
    )


def library(user: AnyUser) -> Sequence[Tip]:
    """Every tip by theme, each with the yearly schedules ``user`` may see (``yearly``),
    their dates in words and whether ``user`` may stop them."""
    schedules = (
        visible_schedules(user)
        .select_related("author")
        .prefetch_related("municipalities")
        .order_by("month", "day", "pk")
    )
    tips = list(
        Tip.objects.prefetch_related(
            Prefetch("schedules", queryset=schedules, to_attr="yearly")
        ).order_by("theme", "title")
    )
    for tip in tips:
        for schedule in tip.yearly:
            schedule.date_label = date_label(schedule.month, schedule.day)
            schedule.can_unschedule = permissions.can_unschedule_tip(user, schedule)
    return tips
