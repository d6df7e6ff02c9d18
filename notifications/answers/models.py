"""An inbox entry that is not an alert."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LINE_MAX_LENGTH = 300


class Notice(models.Model):
    """An answer to the member's reply or report, in their inbox.

    Its line is the e-mail's subject, written in the member's language when the answer
    came; it links to the page the answer is on (the conversation, My reports), which
    is where it is read: the notice holds no text of the answer.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    line = models.CharField(max_length=LINE_MAX_LENGTH)
    path = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inbox notice")
        verbose_name_plural = _("inbox notices")
        indexes = [models.Index(fields=["user", "-created_at"], name="notif_notice_inbox")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.created_at:%Y-%m-%d %H:%M}"
