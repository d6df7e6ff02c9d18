"""The devices a member has asked to get push notifications on (the Push API)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Browsers' endpoints are a few hundred characters; the limit keeps a hostile one small.
ENDPOINT_MAX_LENGTH = 1000


class PushSubscription(models.Model):
    """One browser's subscription: where its push service takes messages for it, and
    the keys its messages are encrypted to (RFC 8291)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    # Unique: one browser belongs to whoever subscribed it last (a shared computer).
    endpoint = models.URLField(max_length=ENDPOINT_MAX_LENGTH, unique=True)
    # base64url, unpadded: the browser's P-256 public key and its 16-byte auth secret.
    p256dh = models.CharField(max_length=87)
    auth = models.CharField(max_length=22)
    # "Firefox on Android": for the member to tell their devices apart.
    label = models.CharField(_("device"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.label}"
