"""Public warnings (VMA, "viktigt meddelande till allmänheten") for the deployment's
municipalities, as Sveriges Radio publishes them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from watch.areas.models import Municipality

# How every VMA is named and opens (Sveriges Radio's event name, in Swedish).
ANNOUNCEMENT = "Viktigt meddelande till allmänheten"


class Ending(models.TextChoices):
    CANCELLED = "cancelled", _("Cancelled")
    UPDATED = "updated", _("Replaced by an update")
    WITHDRAWN = "withdrawn", _("No longer published")


class PublicWarningQuerySet(models.QuerySet["PublicWarning"]):
    def current(self) -> PublicWarningQuerySet:
        return self.filter(ended_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )


class PublicWarning(models.Model):
    """One CAP message (an Alert or an Update) as published: its text is never edited and
    its time never changed, here or when a coordinator forwards it."""

    identifier = models.CharField(_("identifier"), max_length=200, unique=True)
    sender = models.CharField(_("sender"), max_length=200)
    sent_at = models.DateTimeField(_("sent"))
    msg_type = models.CharField(_("message type"), max_length=16)
    headline = models.CharField(_("headline"), max_length=300)
    description = models.TextField(_("description"), max_length=8000)
    instruction = models.TextField(_("instruction"), max_length=4000, blank=True)
    web = models.URLField(_("link"), max_length=500, blank=True)
    sender_name = models.CharField(_("issued by"), max_length=200, blank=True)
    severity = models.CharField(_("severity"), max_length=16, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    area_description = models.CharField(_("area"), max_length=500, blank=True)
    municipalities = models.ManyToManyField(
        Municipality, related_name="public_warnings", verbose_name=_("municipalities")
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ending = models.CharField(_("how it ended"), max_length=16, choices=Ending.choices, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    objects = PublicWarningQuerySet.as_manager()

    class Meta:
        verbose_name = _("public warning")
        verbose_name_plural = _("public warnings")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.headline

    @property
    def is_current(self) -> bool:
        return self.ended_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )

    @property
    def summary(self) -> str:
        """What happened, for the banner: the first paragraph that says more than the
        announcement's own name (Sveriges Radio's texts open with "Viktigt meddelande
        till allmänheten i …")."""
        paragraphs = [part.strip() for part in self.description.split("\n\n") if part.strip()]
        specific = [part for part in paragraphs if not part.startswith(ANNOUNCEMENT)]
        return (specific or paragraphs or [self.headline])[0]

    @property
    def text(self) -> str:
        """The description and the instruction, as published."""
        return "\n\n".join(part for part in (self.description, self.instruction) if part)
