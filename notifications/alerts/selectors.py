"""Reads of alerts for their senders: the history and an alert's delivery report."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from notifications import permissions
from notifications.alerts.models import Alert, AlertStatus, Channel
from notifications.outbox.models import DeliveryStatus
from watch.permissions import AnyUser

ALERTS_LISTED = 200
REPORT_FAILURES_SHOWN = 200
# The alert's own deliveries, not a newcomer's catch-up entries (inbox.services.catch_up).
OWN = Q(deliveries__joined_later=False)
SENT = Q(deliveries__status=DeliveryStatus.SENT)
FAILED = Q(deliveries__status=DeliveryStatus.FAILED)


def visible_alerts(user: AnyUser) -> QuerySet[Alert]:
    """The alerts ``user`` may see (their own, their municipalities'), each once."""
    return Alert.objects.filter(
        pk__in=Alert.objects.filter(permissions.visible_alerts(user)).values("pk")
    )


def history(user: AnyUser) -> QuerySet[Alert]:
    """The newest alerts ``user`` may see, with their sent and failed counts."""
    return (
        visible_alerts(user)
        .select_related("author")
        .annotate(
            sent_count=Count("deliveries", filter=SENT & OWN),
            failed_count=Count("deliveries", filter=FAILED & OWN),
        )
        .order_by("-created_at")[:ALERTS_LISTED]
    )


def recent_with_progress(user: AnyUser, limit: int) -> list[Alert]:
    """The newest ``limit`` alerts ``user`` may see, with how far their delivery has come:
    ``delivery_count`` in all, ``final_count`` sent, failed or not sent, ``failed_count``.

    The newest are picked first, so only their deliveries are counted.
    """
    newest = list(visible_alerts(user).order_by("-created_at").values_list("pk", flat=True)[:limit])
    final = [DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED]
    return list(
        Alert.objects.filter(pk__in=newest)
        .select_related("author")
        .annotate(
            delivery_count=Count("deliveries", filter=OWN),
            final_count=Count("deliveries", filter=Q(deliveries__status__in=final) & OWN),
            failed_count=Count("deliveries", filter=FAILED & OWN),
        )
        .order_by("-created_at")
    )


def report(alert: Alert) -> dict[str, Any]:
    """Who was told: counts per channel and status, per area, and the failures."""
    by_channel: dict[str, dict[str, int]] = {c: {} for c in Channel.values}
    # A newcomer's catch-up entries are not deliveries of the alert (inbox.services).
    deliveries = alert.deliveries.filter(joined_later=False)
    for row in deliveries.values("channel", "status").annotate(n=Count("pk")):
        by_channel[row["channel"]][row["status"]] = row["n"]
    by_area = (
        deliveries.values("area__name")
        .annotate(
            members=Count("user", distinct=True),
            sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
            failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
        )
        .order_by("area__name")
    )
    failures = (
        deliveries.filter(status=DeliveryStatus.FAILED)
        .select_related("user")
        .order_by("pk")[:REPORT_FAILURES_SHOWN]
    )
    pending = deliveries.filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]).exists()
    return {
        "by_channel": [(label, by_channel[channel]) for channel, label in Channel.choices],
        "statuses": DeliveryStatus.choices,
        "by_area": by_area,
        "failures": failures,
        "refresh": alert.status == AlertStatus.SENDING or pending,
    }
