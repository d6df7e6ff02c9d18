"""The tip library: reusable crime-prevention tips, and tips sent every year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.validators import single_line
from notifications.alerts.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from watch.areas.models import Municipality


class Tip(models.Model):
    """A reusable crime-prevention tip from the library."""

    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH, validators=[single_line])
    body = models.TextField(_("text"), max_length=BODY_MAX_LENGTH)
    theme = models.CharField(_("theme"), max_length=80, validators=[single_line])
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
    # Set for the library page by notifications.tips.selectors.library.
    date_label: str
    can_unschedule: bool

    periodic_task = models.OneToOneField(
        "django_celery_beat.PeriodicTask", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("yearly tip")
        verbose_name_plural = _("yearly tips")

    def __str__(self) -> str:
        return f"{self.tip} ({self.day}/{self.month})"
