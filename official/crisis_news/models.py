"""Krisinformation.se's news for the deployment's municipalities and counties: what the
authorities tell the public about storms, outages, fires and other crises."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from watch.areas.models import Municipality


class CrisisNews(models.Model):
    identifier = models.CharField(_("identifier"), max_length=200, unique=True)
    headline = models.CharField(_("headline"), max_length=300)
    preamble = models.TextField(_("summary"), max_length=2000, blank=True)
    web = models.URLField(_("link"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"))
    updated_at = models.DateTimeField(_("updated"))
    municipalities = models.ManyToManyField(
        Municipality, related_name="crisis_news", verbose_name=_("municipalities")
    )

    class Meta:
        verbose_name = _("crisis news item")
        verbose_name_plural = _("crisis news")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.headline
