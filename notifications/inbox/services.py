"""Writes of a member's inbox: what they have read, and what a newcomer catches up on."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import cast

from django.utils import timezone

from accounts.models import User
from notifications.alerts import languages
from notifications.alerts.models import Alert, AlertStatus, AlertVersion, Channel, Delivery
from notifications.answers import services as answers
from notifications.inbox import selectors
from notifications.outbox.models import DeliveryStatus
from notifications.preferences.models import MemberSettings
from watch.areas.models import WatchArea


def mark_read(delivery: Delivery) -> None:
    """An inbox entry the member opened; another channel's copy is not an entry."""
    if delivery.channel == Channel.INAPP and delivery.read_at is None:
        Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=timezone.now())


def mark_all_read(user: User) -> None:
    selectors.inbox(user.pk).filter(read_at__isnull=True).update(read_at=timezone.now())
    answers.mark_all_read(user)


# How far back a newcomer's inbox reaches: what the area was told this recently.
CATCH_UP_DAYS = 90


def catch_up(*, area: WatchArea, user_ids: list[int]) -> int:
    """Give people who just came to belong to ``area`` the alerts it was sent lately.

    They become inbox entries (unread, dated when the alert went out), so a new member
    sees what the area has been told; they are not deliveries of the alert, and its
    report does not count them. Someone who already has an alert keeps their entry.
    """
    since = timezone.now() - timedelta(days=CATCH_UP_DAYS)
    alerts = Alert.objects.filter(areas=area, status=AlertStatus.SENT, sent_at__gte=since)
    # In each one's language, as dispatch would have chosen it.
    chosen = dict(
        MemberSettings.objects.filter(user_id__in=user_ids).values_list("user_id", "alert_language")
    )
    versions: dict[int, set[str]] = defaultdict(set)
    for alert_id, code in AlertVersion.objects.filter(alert__in=alerts).values_list(
        "alert_id", "language"
    ):
        versions[alert_id].add(code)

    rows = [
        Delivery(
            alert_id=alert_id,
            user_id=user_id,
            area=area,
            channel=Channel.INAPP,
            language=languages.resolve(chosen.get(user_id, languages.SWEDISH), versions[alert_id]),
            status=DeliveryStatus.SENT,
            # The filter above leaves no alert without its time.
            created_at=cast(datetime, sent_at),
            sent_at=sent_at,
            joined_later=True,
        )
        for alert_id, sent_at in alerts.values_list("pk", "sent_at")
        for user_id in user_ids
    ]
    # The unique (alert, user, channel) constraint keeps an entry someone already has.
    return len(Delivery.objects.bulk_create(rows, ignore_conflicts=True))


def on_joined_area(
    sender: object, *, area: WatchArea, user_ids: list[int], **kwargs: object
) -> None:
    catch_up(area=area, user_ids=user_ids)
