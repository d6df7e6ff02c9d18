"""A member's in-app inbox: their sent in-app deliveries."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from notifications.alerts.models import (
    AlertVersion,
    Channel,
    Delivery,
)
from notifications.answers.selectors import notices
from notifications.outbox.models import DeliveryStatus


def inbox(user_id: int) -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(user_id=user_id, channel=Channel.INAPP, status=DeliveryStatus.SENT)
        .select_related("alert", "area")
        # Just what the lists show (the inbox, the start page): not the text nor the
        # area's outline (hundreds of points), and the fewer fields, the cheaper each
        # row's three models are to build (a third of the inbox's query time).
        .only(
            "read_at",
            "created_at",
            "alert__title",
            "alert__kind",
            "alert__severity",
            "alert__is_exercise",
            "alert__expires_at",
            "alert__sender_role",
            "alert__sender_places",
            "area__name",
            # The language of the text the member was sent (notifications.alerts.languages).
            "language",
        )
        # The title in the language the member was sent (none: the Swedish one).
        .annotate(
            version_title=Subquery(
                AlertVersion.objects.filter(
                    alert_id=OuterRef("alert_id"), language=OuterRef("language")
                ).values("title")[:1]
            )
        )
        .order_by("-created_at")
    )


def unread_count(user_id: int) -> int:
    """Unread alerts and notices (notifications.answers)."""
    return (
        inbox(user_id).filter(read_at__isnull=True).count()
        + notices(user_id).filter(read_at__isnull=True).count()
    )
