"""Reads of alerts for their senders: the history and an alert's delivery report."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    prefetch_related_objects,
)

from notifications import permissions
from notifications.alerts import languages
from notifications.alerts.models import Alert, AlertStatus, AlertVersion, Channel, Delivery
from notifications.outbox.models import DeliveryStatus
from watch.areas.models import Municipality, WatchArea
from watch.permissions import AnyUser

REPORT_FAILURES_SHOWN = 200
# The alert's own deliveries, not a newcomer's catch-up entries (inbox.services.catch_up).
OWN = Q(deliveries__joined_later=False)
SENT = Q(deliveries__status=DeliveryStatus.SENT)
FAILED = Q(deliveries__status=DeliveryStatus.FAILED)
# Neither sent, failed nor not sent (a member's choice, an unverified number): queued or
# being sent.
WAITING = ~Q(
    deliveries__status__in=[DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED]
)
# How far an alert's sending has come, as its lists say it: the same counts on the start
# page and the list of alerts (they said "145 of 147 done" and "102 sent" of one alert).
PROGRESS = {
    "sent_count": Count("deliveries", filter=SENT & OWN),
    "failed_count": Count("deliveries", filter=FAILED & OWN),
    "waiting_count": Count("deliveries", filter=WAITING & OWN),
}


def visible_alerts(user: AnyUser) -> QuerySet[Alert]:
    """The alerts ``user`` may see (their own, their municipalities'), each once."""
    return Alert.objects.filter(
        pk__in=Alert.objects.filter(permissions.visible_alerts(user)).values("pk")
    )


def history(user: AnyUser, search: str = "") -> QuerySet[Alert]:
    """The alerts ``user`` may see, newest first; only those whose title, or the name of
    an area or municipality they were sent to, holds ``search``, if given ("Marieholm"
    found only the alerts with it in their titles). Plain rows, to count and page
    through: ``with_progress`` counts the deliveries of the page shown."""
    alerts = visible_alerts(user)
    if search:
        alerts = alerts.filter(
            Q(title__icontains=search)
            | Exists(
                Alert.target_areas.through.objects.filter(
                    alert=OuterRef("pk"), watcharea__name__icontains=search
                )
            )
            | Exists(
                Alert.target_municipalities.through.objects.filter(
                    alert=OuterRef("pk"), municipality__name__icontains=search
                )
            )
        )
    return alerts.order_by("-created_at", "-pk")


def with_progress(ids: Iterable[int]) -> list[Alert]:
    """The alerts ``ids``, in that order, with their authors and how far their sending
    has come (``PROGRESS``), in one query that counts the deliveries of these alone (a
    count of every alert's would read every delivery)."""
    ids = list(ids)
    found = Alert.objects.select_related("author").annotate(**PROGRESS).in_bulk(ids)
    # One deleted since its id was read is left out.
    return [found[pk] for pk in ids if pk in found]


def with_targets(alerts: list[Alert]) -> list[Alert]:
    """``alerts`` with the areas and municipalities they were sent to, by name, in two
    queries whatever their number (the list of alerts says whom each went to)."""
    prefetch_related_objects(
        alerts,
        Prefetch("target_areas", queryset=WatchArea.objects.only("name").order_by("name")),
        Prefetch(
            "target_municipalities", queryset=Municipality.objects.only("name").order_by("name")
        ),
    )
    return alerts


def recent_with_progress(user: AnyUser, limit: int) -> list[Alert]:
    """The newest ``limit`` alerts ``user`` may see, with how far their sending has come."""
    return with_progress(history(user).values_list("pk", flat=True)[:limit])


@dataclass(frozen=True, slots=True)
class OtherMessages:
    """An alert's messages to recipients other than members (``delivery``'s other
    recipients), counted for its report."""

    label: str  # who they went to, in the active language
    sent: int
    failed: int
    waiting: int


_other_messages: list[Callable[[Alert], OtherMessages | None]] = []


def register_other_messages(counts: Callable[[Alert], OtherMessages | None]) -> None:
    """Let a feature that registered other recipients count their messages on the
    report (None: the alert has none); this module knows no feature."""
    if counts not in _other_messages:
        _other_messages.append(counts)


def report(alert: Alert) -> dict[str, Any]:
    """Who was told: members reached, messages per status and channel, per area, and the
    failures.

    Members and messages are counted apart: a member may get the same alert by e-mail,
    SMS and in the app, and is reached once any one of those was sent.
    """
    counts: dict[str, dict[str, int]] = {c: {} for c in Channel.values}
    # A newcomer's catch-up entries are not deliveries of the alert (inbox.services).
    deliveries = alert.deliveries.filter(joined_later=False)
    for row in deliveries.values("channel", "status").annotate(n=Count("pk")):
        counts[row["channel"]][row["status"]] = row["n"]
    reached = Count("user", distinct=True, filter=Q(status=DeliveryStatus.SENT))
    members = deliveries.aggregate(
        members=Count("user", distinct=True),
        reached=reached,
        # Handset receipts (notifications.channels.sms): sent is only "the provider took it".
        texts_on_phone=Count("pk", filter=Q(channel=Channel.SMS, delivered_at__isnull=False)),
        # Failed after it was sent: a receiving server's bounce (notifications.bounces),
        # apart from a refusal while it was being sent.
        bounced=Count("pk", filter=Q(status=DeliveryStatus.FAILED, bounced_at__isnull=False)),
    )
    by_area = (
        deliveries.values("area__name")
        .annotate(
            members=Count("user", distinct=True),
            reached=reached,
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

    def messages(*statuses: str) -> int:
        return sum(by_status.get(status, 0) for by_status in counts.values() for status in statuses)

    waiting = messages(DeliveryStatus.QUEUED, DeliveryStatus.SENDING)
    others = [found for counts in _other_messages if (found := counts(alert)) is not None]
    # While it is being dispatched: for how many members the messages exist yet.
    dispatched = alert.dispatch_ranges.aggregate(members=Sum("members"))["members"]
    return {
        "dispatched": {"members": dispatched or 0, "recipients": alert.recipients or 0},
        "members": members["members"],
        "reached": members["reached"],
        "messages_sent": messages(DeliveryStatus.SENT),
        "messages_failed": messages(DeliveryStatus.FAILED),
        "messages_bounced": members["bounced"],
        "messages_refused": messages(DeliveryStatus.FAILED) - members["bounced"],
        "messages_waiting": waiting,
        "texts_sent": counts[Channel.SMS].get(DeliveryStatus.SENT, 0),
        "texts_on_phone": members["texts_on_phone"],
        "channels": [label for _channel, label in Channel.choices],
        # A row per status, a column per channel: three narrow columns fit a phone.
        "by_status": [
            (label, [counts[channel].get(status, 0) for channel in Channel.values])
            for status, label in DeliveryStatus.choices
        ],
        "by_area": by_area,
        "failures": failures,
        "other_messages": others,
        "refresh": alert.status == AlertStatus.SENDING
        or bool(waiting)
        or any(other.waiting for other in others),
    }


# --- The alert's text in each language ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlertText:
    """An alert's title and text in one language: its Swedish text, or a version."""

    language: languages.Language
    title: str
    body: str


# A follow-up counts from when its first copies go: a member may have theirs before the
# last are queued.
GONE_OUT = Q(status__in=[AlertStatus.SENDING, AlertStatus.SENT])
WITHDRAWING = GONE_OUT & Q(cancels_original=True)


def withdrawals(alert: Alert) -> QuerySet[Alert]:
    """The alerts going or gone out withdrawing ``alert``: members' copies of it say so.
    The inbox's lines, in SQL, ask the same (tests/test_inbox_lines.py)."""
    return Alert.objects.filter(WITHDRAWING, refers_to=alert)


def withdrawn() -> Exists:
    """For a query of alerts: whether one has gone out withdrawing it."""
    return Exists(Alert.objects.filter(WITHDRAWING, refers_to=OuterRef("pk")))


def follow_ups(alert: Alert) -> QuerySet[Alert]:
    """The updates and withdrawals of ``alert`` that are going, gone or due out, oldest
    first: its page names them, as members' copies do."""
    return Alert.objects.filter(
        GONE_OUT | Q(status=AlertStatus.SCHEDULED), refers_to=alert
    ).order_by("created_at", "pk")


def swedish(alert: Alert) -> AlertText:
    return AlertText(languages.KNOWN[languages.SWEDISH], alert.title, alert.body)


def _text(version: AlertVersion) -> AlertText:
    return AlertText(languages.of(version.language), version.title, version.body)


def texts(alert: Alert) -> list[AlertText]:
    """The Swedish text, then each version in the order the deployment lists its
    languages (``alert.versions`` prefetched, or one query)."""
    order = {language.code: index for index, language in enumerate(languages.listed())}
    versions = sorted(
        alert.versions.all(), key=lambda version: order.get(version.language, len(order))
    )
    return [swedish(alert), *(_text(version) for version in versions)]


def text_in(alert: Alert, language: str) -> AlertText:
    """The alert in ``language``, or in Swedish if it has no version in it."""
    if language == languages.SWEDISH:
        return swedish(alert)
    return next((text for text in texts(alert) if text.language.code == language), swedish(alert))


def delivery_texts(deliveries: Iterable[Delivery]) -> dict[tuple[int, str], AlertText]:
    """The text each delivery carries, by (alert id, language): one query for a batch."""
    found = {(d.alert_id, d.language): swedish(d.alert) for d in deliveries}
    wanted = {(alert_id, code) for alert_id, code in found if code != languages.SWEDISH}
    if wanted:
        matching = Q()
        for alert_id, code in wanted:
            matching |= Q(alert_id=alert_id, language=code)
        for version in AlertVersion.objects.filter(matching):
            found[(version.alert_id, version.language)] = _text(version)
    return found
