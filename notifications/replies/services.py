"""Writing in a conversation about an alert: a member's reply, a handler's answer, closing.

Each is checked here (who may, whether replies are on, whether the conversation is
open), recorded in the audit log, and, for an answer, told to the member
(``notifications.answers``).
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config.photos import CleanPhoto
from notifications import permissions
from notifications.alerts.models import Alert
from notifications.answers import services as answers
from notifications.replies.models import Conversation, Reply
from watch.audit.models import AuditAction
from watch.audit.services import record


def write_reply(*, member: User, alert: Alert, text: str, photo: CleanPhoto | None = None) -> Reply:
    """The member's reply to an alert they received (``selectors.received`` found it)."""
    if not alert.replies_allowed:
        raise ValidationError(_("The sender has turned replies off for this message."))
    now = timezone.now()
    with transaction.atomic():
        conversation, _created = Conversation.objects.get_or_create(alert=alert, member=member)
        if conversation.closed_at is not None:
            raise ValidationError(_("This conversation has been closed."))
        reply = _saved(
            Reply(conversation=conversation, author=member, from_member=True, text=text), photo
        )
        Conversation.objects.filter(pk=conversation.pk).update(
            last_reply_at=now, member_read_at=now
        )
        _record(member, AuditAction.REPLY_WRITTEN, alert)
    return reply


def _saved(reply: Reply, photo: CleanPhoto | None) -> Reply:
    """The reply saved, with its photo under a name that says nothing and cannot be
    guessed; if the row is not saved, neither is the file."""
    if photo is not None:
        reply.photo.save(
            f"{uuid.uuid4().hex}.{photo.extension}", ContentFile(photo.content), save=False
        )
    try:
        reply.save()
    except Exception:
        if reply.photo:
            reply.photo.delete(save=False)
        raise
    return reply


def answer(
    *, handler: User, conversation: Conversation, text: str, photo: CleanPhoto | None = None
) -> Reply:
    """A handler's answer; the member is told by the channels they chose for answers."""
    alert = _handled_by(handler, conversation)
    if conversation.closed_at is not None:
        raise ValidationError(_("This conversation has been closed."))
    now = timezone.now()
    with transaction.atomic():
        reply = _saved(
            Reply(conversation=conversation, author=handler, from_member=False, text=text), photo
        )
        Conversation.objects.filter(pk=conversation.pk).update(
            last_answer_at=now, handlers_read_at=now
        )
        answers.tell(
            users=[conversation.member],
            template="notifications/reply_answered",
            context={"title": alert.title, "alert": alert.pk},
            path=reverse("notifications:alert_answer", args=[alert.pk]),
        )
        _record(handler, AuditAction.REPLY_ANSWERED, alert, subject=conversation.member)
    return reply


def close(*, handler: User, conversation: Conversation) -> None:
    alert = _handled_by(handler, conversation)
    with transaction.atomic():
        # Conditional update: a second click, or a colleague's, closes nothing more.
        if not Conversation.objects.filter(pk=conversation.pk, closed_at__isnull=True).update(
            closed_at=timezone.now(), closed_by=handler
        ):
            raise ValidationError(_("This conversation has been closed."))
        _record(handler, AuditAction.CONVERSATION_CLOSED, alert, subject=conversation.member)


def _handled_by(handler: User, conversation: Conversation) -> Alert:
    alert = (
        Alert.objects.filter(permissions.answerable_alerts(handler), pk=conversation.alert_id)
        .distinct()
        .first()
    )
    if alert is None:
        raise PermissionDenied
    return alert


def _record(actor: User, action: AuditAction, alert: Alert, subject: User | None = None) -> None:
    record(
        actor=actor,
        action=action,
        municipality=alert.municipalities.values_list("pk", flat=True).first(),
        subject=subject,
        detail=f"alert {alert.pk}",
    )


def mark_read(conversation: Conversation, *, by_member: bool) -> None:
    field = "member_read_at" if by_member else "handlers_read_at"
    Conversation.objects.filter(pk=conversation.pk).update(**{field: timezone.now()})
