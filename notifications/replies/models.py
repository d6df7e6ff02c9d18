"""Replies to an alert: a member's private conversation with those who sent it.

One conversation per alert and member. Its messages are the member's replies and the
answers of the alert's handlers (the sender, the officials of the municipalities it
went to; for an area contact's message, the area's contacts). Nobody else sees them:
not other members, not other areas' contacts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.alerts.models import Alert

TEXT_MAX_LENGTH = 2000


class Conversation(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="conversations")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Unread counts without reading the messages: the last of each side, and when each
    # side last looked.
    last_reply_at = models.DateTimeField(null=True, blank=True)
    last_answer_at = models.DateTimeField(null=True, blank=True)
    handlers_read_at = models.DateTimeField(null=True, blank=True)
    member_read_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(fields=["alert", "member"], name="notif_one_conversation")
        ]

    def __str__(self) -> str:
        return f"{self.alert_id}/{self.member_id}"


# A conversation the handlers have not read since the member last wrote.
UNREAD_BY_HANDLERS = Q(last_reply_at__isnull=False) & (
    Q(handlers_read_at__isnull=True) | Q(last_reply_at__gt=models.F("handlers_read_at"))
)


class Reply(models.Model):
    """One message in a conversation: the member's reply or a handler's answer."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_member = models.BooleanField()
    text = models.TextField(_("message"), max_length=TEXT_MAX_LENGTH)
    # Re-encoded without metadata (config.photos), under a random name; served only to
    # the member and the handlers (views.reply_photo).
    photo = models.ImageField(_("photo"), upload_to="replies/%Y/%m/", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.created_at:%Y-%m-%d %H:%M}"
