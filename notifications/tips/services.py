"""The tip library: reusable crime-prevention tips, sent now, at a date or every year.

The library belongs to the security coordinators: they (and admins) add and edit
tips. Police and coordinators send them. Sending a tip now or at a date is the
ordinary composer, prefilled from the tip (``alert_create?tip=<id>``).

A yearly tip is a ``TipSchedule`` with a django-celery-beat ``PeriodicTask``
(crontab, 09:00 Europe/Stockholm on its date) that runs
``notifications.tasks.send_scheduled_tip``. That task writes an Alert from the
tip and sends it through ``alert_services.send_alert`` as the schedule's author: the
same path, and the same permission check, as the web form. An author who has
lost the right to send to the schedule's municipalities sends nothing.
"""

from __future__ import annotations

import calendar
import json
import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.models import User
from notifications import permissions
from notifications.alerts import services as alert_services
from notifications.alerts.models import Alert, AlertStatus, Kind, Severity, TargetKind
from notifications.tips.models import Tip, TipSchedule
from watch.areas.models import Municipality

logger = logging.getLogger(__name__)

SEND_HOUR = 9
SCHEDULE_TIMEZONE = "Europe/Stockholm"
TASK_NAME = "notifications.tasks.send_scheduled_tip"
# A yearly date must exist every year: days are counted in a common (non-leap) year.
_COMMON_YEAR = 2023


def _may_send_to(user: User, municipalities: list[Municipality]) -> bool:
    if not municipalities or not permissions.can_schedule_tips(user):
        return False
    ids = {m.pk for m in municipalities}
    reachable = Municipality.objects.filter(permissions.sendable_municipalities(user), pk__in=ids)
    return reachable.count() == len(ids)


# --- The library -----------------------------------------------------------------------------


def save_tip(*, actor: User, tip: Tip | None = None, title: str, body: str, theme: str) -> Tip:
    """Add a tip to the library, or change one (yearly schedules send the new text)."""
    if not permissions.can_curate_tips(actor):
        raise PermissionDenied
    if tip is None:
        tip = Tip(created_by=actor)
    tip.title, tip.body, tip.theme = title.strip(), body.strip(), theme.strip()
    tip.full_clean(exclude=["created_by"])
    tip.save()
    return tip


# --- Yearly tips -----------------------------------------------------------------------------


def check_date(month: int, day: int) -> None:
    """A date that comes every year; raises ValidationError on ``month`` or ``day``."""
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("Choose a month from 1 to 12.")})
    days = calendar.monthrange(_COMMON_YEAR, month)[1]
    if month == 2 and day == 29:
        raise ValidationError(
            {
                "day": _(
                    "29 February comes only in leap years, so the tip would be sent only "
                    "every fourth year. Choose 28 February or 1 March."
                )
            }
        )
    if not 1 <= day <= days:
        raise ValidationError(
            {
                "day": _("%(month)s has %(days)d days: choose a day from 1 to %(days)d.")
                % {"month": MONTHS[month], "days": days}
            }
        )


def date_label(month: int, day: int) -> str:
    """ "24 December": the day and the month's name in the active language."""
    return _("%(day)d %(month)s") % {"day": day, "month": MONTHS[month]}


def schedule_yearly(
    *,
    actor: User,
    tip: Tip,
    municipalities: Iterable[Municipality],
    month: int,
    day: int,
) -> TipSchedule:
    """Send ``tip`` every year on ``day``/``month`` at 09:00 to all active areas of
    ``municipalities`` (each within the actor's reach)."""
    if not permissions.can_schedule_tips(actor):
        raise PermissionDenied
    check_date(month, day)
    chosen = list(municipalities)
    if not chosen:
        raise ValidationError({"municipalities": _("Choose at least one municipality.")})
    if not _may_send_to(actor, chosen):
        raise PermissionDenied
    with transaction.atomic():
        schedule = TipSchedule.objects.create(tip=tip, author=actor, month=month, day=day)
        schedule.municipalities.set(chosen)
        crontab_fields = {
            "minute": "0",
            "hour": str(SEND_HOUR),
            "day_of_week": "*",
            "day_of_month": str(day),
            "month_of_year": str(month),
            "timezone": SCHEDULE_TIMEZONE,
        }
        # Crontabs are shared; one added by hand in the admin may be a duplicate.
        crontab = CrontabSchedule.objects.filter(**crontab_fields).order_by("pk").first()
        if crontab is None:
            crontab = CrontabSchedule.objects.create(**crontab_fields)
        schedule.periodic_task = PeriodicTask.objects.create(
            name=f"tip-schedule-{schedule.pk}",
            task=TASK_NAME,
            args=json.dumps([schedule.pk]),
            crontab=crontab,
            description=f"{tip.title} ({day}/{month})",
        )
        schedule.save(update_fields=["periodic_task"])
    return schedule


def unschedule(*, actor: User, schedule: TipSchedule) -> None:
    """Stop a yearly tip: the schedule and its beat task go together."""
    if not permissions.can_unschedule_tip(actor, schedule):
        raise PermissionDenied
    with transaction.atomic():
        task_filter = Q(name=f"tip-schedule-{schedule.pk}")
        if schedule.periodic_task_id is not None:
            task_filter |= Q(pk=schedule.periodic_task_id)
        PeriodicTask.objects.filter(task_filter).delete()
        schedule.delete()


def _sent_today(schedule: TipSchedule, municipality_ids: set[int]) -> int | None:
    """The alert this schedule already sent today, if any (a redelivered beat message)."""
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    earlier = (
        Alert.objects.filter(
            kind=Kind.TIP,
            author_id=schedule.author_id,
            title=schedule.tip.title,
            target_kind=TargetKind.MUNICIPALITIES,
            created_at__gte=midnight,
        )
        .exclude(status__in=[AlertStatus.DRAFT, AlertStatus.CANCELLED])
        .prefetch_related("target_municipalities")
    )
    for alert in earlier:
        if {m.pk for m in alert.target_municipalities.all()} == municipality_ids:
            return alert.pk
    return None


def send_scheduled_tip(schedule_id: int) -> int | None:
    """Write and send this year's alert of a yearly tip; return its id.

    Returns None, and logs why, when nothing may be sent: the schedule is gone, or
    its author may no longer send tips to all of its municipalities.
    """
    schedule = TipSchedule.objects.select_related("tip", "author").filter(pk=schedule_id).first()
    if schedule is None:
        logger.warning("Yearly tip %s: the schedule no longer exists; nothing sent.", schedule_id)
        return None
    author = schedule.author
    municipalities = list(schedule.municipalities.all())
    if author is None or not author.is_active or not _may_send_to(author, municipalities):
        logger.warning(
            "Yearly tip %s (%r): its author may no longer send it to its municipalities; "
            "nothing sent. Ask a coordinator to schedule it again.",
            schedule.pk,
            schedule.tip.title,
        )
        return None
    tip = schedule.tip
    with transaction.atomic():
        # A beat message delivered twice (acks_late) sends the tip once.
        if TipSchedule.objects.select_for_update().filter(pk=schedule.pk).first() is None:
            return None
        if (earlier := _sent_today(schedule, {m.pk for m in municipalities})) is not None:
            logger.info("Yearly tip %s was already sent today as alert %s.", schedule.pk, earlier)
            return earlier
        alert = Alert.objects.create(
            author=author,
            kind=Kind.TIP,
            severity=Severity.INFO,
            title=tip.title,
            body=tip.body,
            target_kind=TargetKind.MUNICIPALITIES,
            is_public=False,
        )
        alert.target_municipalities.set(municipalities)
        alert_services.send_alert(actor=author, alert=alert)
    return alert.pk
