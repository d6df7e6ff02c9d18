"""Public alerts: for the municipality page, the public alert page, Atom and CAP."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, Q, QuerySet

from notifications.alerts import selectors as alert_selectors
from notifications.alerts.models import (
    Alert,
    AlertStatus,
)

PUBLIC_ALERTS_LISTED = 50


def published_at(alert: Alert) -> datetime:
    """When the alert went out (or was due to): the CAP ``sent`` and the Atom date."""
    return alert.dispatched_at or alert.publish_at or alert.created_at


def public_alerts() -> QuerySet[Alert]:
    """Public alerts that went out, expired ones too (links to them keep working)."""
    return Alert.objects.filter(is_public=True, status=AlertStatus.SENT)


def public_original(alert: Alert) -> Alert | None:
    """The earlier alert this one corrects or cancels, if the public ever saw it.

    A members-only original is not named: a public page or feed would reveal it.
    """
    original = alert.refers_to
    if original is None or not original.is_public or original.status != AlertStatus.SENT:
        return None
    return original


def public_cancellation(alert: Alert) -> Alert | None:
    """The public alert that cancels ``alert``, if one went out."""
    return (
        public_alerts()
        .filter(refers_to=alert, cancels_original=True)
        .order_by("dispatched_at", "pk")
        .first()
    )


def current_public_alerts(now: datetime) -> QuerySet[Alert]:
    """Public alerts that went out, have not expired and were not withdrawn (publicly or
    to members only), newest first: pages and feeds."""
    return (
        public_alerts()
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .exclude(alert_selectors.withdrawn())
        .order_by(F("dispatched_at").desc(nulls_last=True), "-created_at", "-pk")
    )
