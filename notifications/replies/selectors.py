"""Reads of conversations: the member's own, and an alert's for its handlers."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from notifications import permissions
from notifications.alerts.models import Alert
from notifications.outbox.models import DeliveryStatus
from notifications.replies.models import UNREAD_BY_HANDLERS, Conversation, Reply


def received(member: User, alert_pk: int) -> Alert:
    """An alert the member was sent, or 404: no one answers what they never got."""
    return get_object_or_404(
        Alert.objects.filter(
            pk__in=Alert.objects.filter(
                deliveries__user=member,
                deliveries__status=DeliveryStatus.SENT,
                deliveries__joined_later=False,
            ).values("pk")
        ),
        pk=alert_pk,
    )


def answerable(handler: User) -> QuerySet[Alert]:
    return Alert.objects.filter(
        pk__in=Alert.objects.filter(permissions.answerable_alerts(handler)).values("pk")
    )


def conversations_of(alert: Alert) -> QuerySet[Conversation]:
    """Newest first, with the member's name, how many messages, and whether unread."""
    return (
        alert.conversations.select_related("member")
        .annotate(messages=Count("replies"))
        .order_by("-last_reply_at", "-pk")
    )


def counts(alert: Alert) -> dict[str, int]:
    return alert.conversations.aggregate(
        conversations=Count("pk"), unread=Count("pk", filter=UNREAD_BY_HANDLERS)
    )


def unread_ids(alert: Alert) -> set[int]:
    return set(alert.conversations.filter(UNREAD_BY_HANDLERS).values_list("pk", flat=True))


def conversation_for(handler: User, pk: int) -> Conversation:
    return get_object_or_404(
        Conversation.objects.filter(alert__in=answerable(handler)).select_related(
            "alert", "member"
        ),
        pk=pk,
    )


def member_conversation(member: User, alert: Alert) -> Conversation | None:
    return Conversation.objects.filter(alert=alert, member=member).first()


def photos_for(user: User) -> QuerySet[Reply]:
    """Replies with a photo that ``user`` may see: in their own conversations, or about
    alerts they answer."""
    return Reply.objects.exclude(photo="").filter(
        Q(conversation__member=user) | Q(conversation__alert__in=answerable(user))
    )
