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
        # Lists show neither the text nor the area's outline (hundreds of points).
        .defer("alert__body", "area__boundary")
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
