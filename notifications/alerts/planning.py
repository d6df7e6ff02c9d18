"""Who gets an alert, and how: recipients a chunk at a time and each one's channels.

``plan`` decides, for one recipient, the status of each channel's delivery. The
preview and the dispatch both use it, so the preview's counts are the counts
the dispatch will produce.
"""

from __future__ import annotations

import math
import zoneinfo
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Exists, FilteredRelation, OuterRef, Q, QuerySet

from notifications.alerts import languages
from notifications.alerts.models import (
    SEVERITY_ORDER,
    Alert,
    Channel,
    Kind,
    Severity,
    SkipReason,
)
from notifications.alerts.targeting import resolve_areas
from notifications.notices.services import address_hash
from notifications.outbox.models import DeliveryStatus
from notifications.preferences.models import DEFAULT_QUIET_END, DEFAULT_QUIET_START
from notifications.push.models import PushSubscription
from watch.areas.models import WatchArea
from watch.households.models import HouseholdMember, Membership, MembershipStatus

CHUNK_SIZE = 1000


DEFAULT_CHANNELS: dict[str, bool] = {
    Channel.EMAIL: True,
    Channel.SMS: False,
    Channel.INAPP: True,
    # Push reaches only the devices a member set up, which is choice enough.
    Channel.PUSH: True,
}


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: int
    area_id: int
    phone: str
    email_on: bool
    sms_on: bool
    inapp_on: bool
    verified_phone: str | None
    quiet_enabled: bool
    quiet_start: time
    quiet_end: time
    # The lowest severity each channel brings (preferences.models.SeverityFloor).
    floors: dict[str, str]
    # Their address bounced BOUNCE_SUSPEND_AFTER times (notifications.bounces).
    email_suspended: bool = False
    # The language they chose for alerts (notifications.preferences).
    alert_language: str = languages.SWEDISH
    push_on: bool = True
    # At least one device subscribed to push (notifications.push).
    push_device: bool = False


def _members_of(area_ids: list[int]) -> QuerySet[HouseholdMember]:
    """The areas' recipients: members of their approved households, active accounts."""
    return HouseholdMember.objects.filter(
        household__memberships__area_id__in=area_ids,
        household__memberships__status=MembershipStatus.APPROVED,
        user__is_active=True,
    )


def recipient_count(area_ids: list[int]) -> int:
    """How many members the areas' approved households have (a household belongs to one
    area at a time, and a person to one household)."""
    return _members_of(area_ids).count()


def range_starts(area_ids: list[int], members: int, parts: int) -> list[int]:
    """The first user id of each of ``parts`` ranges holding about as many of the
    recipients each; the first range starts at 1.

    Split by rank, not by id: members who joined late have high ids close together, and
    equal ranges of ids would put nearly all of them in one. One query per boundary,
    each reading the user id index only as far as it.
    """
    size = math.ceil(members / parts)
    ordered = _members_of(area_ids).order_by("user_id").values_list("user_id", flat=True)
    starts = [1]
    for _ in range(parts - 1):
        following = ordered.filter(user_id__gte=starts[-1])[size : size + 1]
        if not (found := list(following)):
            break
        starts.append(found[0])
    return starts


def recipient_chunks(
    area_ids: list[int],
    kind: str,
    chunk_size: int = CHUNK_SIZE,
    *,
    after: int = 0,
    up_to: int | None = None,
) -> Iterator[list[Recipient]]:
    """Members of the areas' approved households, ``chunk_size`` at a time, by user id:
    those above ``after`` and, if given, at most ``up_to``.

    One query per chunk, paged by user id (keyset), so memory stays flat however
    many members there are and no query is made per recipient.
    """
    base = (
        _members_of(area_ids)
        .annotate(
            pref=FilteredRelation("user__preferences", condition=Q(user__preferences__kind=kind)),
            push_device=Exists(PushSubscription.objects.filter(user_id=OuterRef("user_id"))),
        )
        .order_by("user_id")
    )
    if up_to is not None:
        base = base.filter(user_id__lte=up_to)
    last_id = after
    while True:
        rows = list(
            base.filter(user_id__gt=last_id).values_list(
                "user_id",
                "household__memberships__area_id",
                "user__phone",
                "pref__email",
                "pref__sms",
                "pref__inapp",
                "user__notification_settings__verified_phone",
                "user__notification_settings__quiet_hours_enabled",
                "user__notification_settings__quiet_hours_start",
                "user__notification_settings__quiet_hours_end",
                "user__notification_settings__email_floor",
                "user__notification_settings__sms_floor",
                "user__notification_settings__inapp_floor",
                "user__email",
                "user__bouncing_address__address_hash",
                "user__bouncing_address__suspended_at",
                "user__notification_settings__alert_language",
                "pref__push",
                "user__notification_settings__push_floor",
                "push_device",
            )[:chunk_size]
        )
        if not rows:
            return
        yield [_recipient(row, kind) for row in rows]
        last_id = rows[-1][0]


def _recipient(row: tuple, kind: str) -> Recipient:
    push, push_floor, push_device = row[-3:]
    row = row[:-3]
    user_id, area_id, phone, email, sms, inapp, verified, quiet, start, end, *floors = row[:-4]
    address, bounced_hash, suspended_at, alert_language = row[-4:]
    return Recipient(
        user_id=user_id,
        area_id=area_id,
        phone=phone,
        email_on=DEFAULT_CHANNELS[Channel.EMAIL] if email is None else email,
        sms_on=DEFAULT_CHANNELS[Channel.SMS] if sms is None else sms,
        # Police alerts cannot be turned off while a member: in-app always stays on.
        inapp_on=kind == Kind.POLICE_ALERT
        or (DEFAULT_CHANNELS[Channel.INAPP] if inapp is None else inapp),
        verified_phone=verified,
        quiet_enabled=True if quiet is None else quiet,
        quiet_start=start or DEFAULT_QUIET_START,
        quiet_end=end or DEFAULT_QUIET_END,
        floors={
            channel: floor or Severity.INFO
            for channel, floor in zip(FLOOR_CHANNELS, [*floors, push_floor], strict=True)
        },
        # Suspended is about an address: a member who has since changed theirs gets mail.
        email_suspended=suspended_at is not None and bounced_hash == address_hash(address),
        alert_language=alert_language or languages.SWEDISH,
        push_on=DEFAULT_CHANNELS[Channel.PUSH] if push is None else push,
        push_device=push_device,
    )


# The order of the floors in a recipient's row.
FLOOR_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.INAPP, Channel.PUSH)


def _brings(recipient: Recipient, channel: str, severity: str) -> bool:
    return SEVERITY_ORDER.index(severity) >= SEVERITY_ORDER.index(recipient.floors[channel])


def version_language(recipient: Recipient, versions: Collection[str]) -> str:
    """The language of the text the recipient gets (``languages.resolve``)."""
    return languages.resolve(recipient.alert_language, versions)


@dataclass(frozen=True, slots=True)
class Planned:
    channel: str
    status: str
    reason: str = ""
    not_before: datetime | None = None


def quiet_hours_end(enabled: bool, start: time, end: time, now: datetime) -> datetime | None:
    """When quiet hours from ``start`` to ``end`` end, if ``now`` is inside them; else None."""
    if not enabled or start == end:
        return None
    local = now.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
    clock = local.time()
    inside = (start <= clock < end) if start < end else (clock >= start or clock < end)
    if not inside:
        return None
    day = local.date() if clock < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=local.tzinfo)


def plan(recipient: Recipient, alert: Alert, now: datetime) -> list[Planned]:
    queued, skipped = DeliveryStatus.QUEUED, DeliveryStatus.SKIPPED
    severity = alert.severity
    if not recipient.email_on:
        email = Planned(Channel.EMAIL, skipped, SkipReason.OPTED_OUT)
    elif not _brings(recipient, Channel.EMAIL, severity):
        email = Planned(Channel.EMAIL, skipped, SkipReason.BELOW_SEVERITY)
    elif recipient.email_suspended:
        email = Planned(Channel.EMAIL, skipped, SkipReason.ADDRESS_SUSPENDED)
    else:
        email = Planned(Channel.EMAIL, queued)
    # The inbox entry is the delivery row itself: written, it has arrived. A police
    # alert always reaches the inbox, whatever the member's floor for the app.
    if not recipient.inapp_on:
        inapp = Planned(Channel.INAPP, skipped, SkipReason.OPTED_OUT)
    elif alert.kind != Kind.POLICE_ALERT and not _brings(recipient, Channel.INAPP, severity):
        inapp = Planned(Channel.INAPP, skipped, SkipReason.BELOW_SEVERITY)
    else:
        inapp = Planned(Channel.INAPP, DeliveryStatus.SENT)
    if not recipient.sms_on:
        sms = Planned(Channel.SMS, skipped, SkipReason.OPTED_OUT)
    elif not _brings(recipient, Channel.SMS, severity):
        sms = Planned(Channel.SMS, skipped, SkipReason.BELOW_SEVERITY)
    elif not recipient.phone or recipient.verified_phone != recipient.phone:
        sms = Planned(Channel.SMS, skipped, SkipReason.NO_VERIFIED_PHONE)
    elif alert.severity != Severity.URGENT and (
        wake := quiet_hours_end(
            recipient.quiet_enabled, recipient.quiet_start, recipient.quiet_end, now
        )
    ):
        sms = Planned(Channel.SMS, queued, SkipReason.QUIET_HOURS, not_before=wake)
    else:
        sms = Planned(Channel.SMS, queued)
    # Push is planned only for members who set up a device: the others are not its
    # audience, and a skipped row each would add a third to every alert's rows.
    if not recipient.push_device:
        return [email, sms, inapp]
    return [email, sms, inapp, _push(recipient, severity)]


def _push(recipient: Recipient, severity: str) -> Planned:
    """Push goes at once, quiet hours or not: the phone's own settings keep it quiet."""
    if not recipient.push_on:
        return Planned(Channel.PUSH, DeliveryStatus.SKIPPED, SkipReason.OPTED_OUT)
    if not _brings(recipient, Channel.PUSH, severity):
        return Planned(Channel.PUSH, DeliveryStatus.SKIPPED, SkipReason.BELOW_SEVERITY)
    return Planned(Channel.PUSH, DeliveryStatus.QUEUED)


@dataclass
class Preview:
    areas: int
    households: int
    members: int
    # channel → {"send": n, "deferred": n, reason: n}
    channels: dict[str, Counter]
    # language → members who get the text in it (Swedish for those whose has no version)
    languages: Counter
    # What dispatch's other recipients will get (households on paper: watch.paper).
    others: list[OtherPreview] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class OtherPreview:
    label: str  # in the active language
    count: int


# For the Check step: counter(alert, area ids, now) → what a feature's other recipients
# (notifications.alerts.delivery.register_other_recipients) will get.
OtherCounter = Callable[[Alert, list[int], datetime], list[OtherPreview]]
_other_counters: list[OtherCounter] = []


def register_other_preview(counter: OtherCounter) -> None:
    """Let a feature that registered other recipients count them before sending; this
    module knows no feature."""
    if counter not in _other_counters:
        _other_counters.append(counter)


def preview(alert: Alert, now: datetime, areas: list[WatchArea] | None = None) -> Preview:
    """The counts dispatch would produce now. ``areas``: the alert's, if already resolved."""
    if areas is None:
        areas = resolve_areas(alert)
    area_ids = [area.pk for area in areas]
    channels: dict[str, Counter] = {channel: Counter() for channel in Channel.values}
    versions = version_languages(alert)
    by_language: Counter = Counter()
    members = 0
    for chunk in recipient_chunks(area_ids, alert.kind):
        members += len(chunk)
        for recipient in chunk:
            by_language[version_language(recipient, versions)] += 1
            for planned in plan(recipient, alert, now):
                key = "send" if planned.status != DeliveryStatus.SKIPPED else planned.reason
                if planned.reason == SkipReason.QUIET_HOURS:
                    key = "deferred"
                channels[planned.channel][key] += 1
    # Every approved household, as the areas' pages count them: those on paper too.
    households = Membership.objects.filter(
        area_id__in=area_ids, status=MembershipStatus.APPROVED
    ).count()
    others = [found for counter in _other_counters for found in counter(alert, area_ids, now)]
    return Preview(len(areas), households, members, channels, by_language, others)


def version_languages(alert: Alert) -> frozenset[str]:
    """The languages the alert has versions in, as dispatch reads them."""
    return frozenset(alert.versions.values_list("language", flat=True))
