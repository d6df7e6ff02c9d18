"""A member's in-app inbox: their sent in-app deliveries."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import InitVar, dataclass, field
from typing import overload

from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language, gettext

from accounts.models import User
from notifications.alerts import selectors as alert_selectors
from notifications.alerts.models import (
    AlertStatus,
    Channel,
    Delivery,
    Severity,
    kind_label,
    sender_line,
)
from notifications.notices.services import address_hash
from notifications.outbox.models import DeliveryStatus
from watch.dates import MessageDateTimes
from watch.rows import TemplateRow
from watch.shortcuts import pk_url


def inbox(user_id: int) -> QuerySet[Delivery]:
    return Delivery.objects.filter(
        user_id=user_id, channel=Channel.INAPP, status=DeliveryStatus.SENT
    ).order_by("-created_at")


@dataclass(frozen=True)
class InboxEntry(TemplateRow):
    """A line of the inbox's lists (the inbox, the start pages), read as plain values,
    and what the line says of them.

    Not the models: building a delivery, its alert and its area for each line cost
    more than the query itself, and the lists show a dozen of their fields
    (docs/performance.md, "The first round").
    """

    pk: int
    title: str
    # The language of the title when it is a version's (the member's choice), for
    # ``lang``/``dir``; empty for the Swedish one, the page's own.
    language: str
    kind: str
    severity: str
    is_exercise: bool
    expires_at: dt.datetime | None
    sender_role: str
    sender_places: list[str]
    area_name: str | None
    created_at: dt.datetime
    read_at: dt.datetime | None
    # A later alert that went out withdraws this one: the line says so, however many
    # members it reached (the sender withdrew it for everyone).
    is_withdrawn: bool
    # What the line says of them, in the language and time zone of the page that read
    # it, as of then (LineText, one for all of a page's lines): made once, not on every
    # read of every line (docs/performance.md, "an eighth round"). Derived from the
    # values above, so not compared.
    text: InitVar[LineText]
    kind_label: str = field(init=False, compare=False)
    meta_line: str = field(init=False, compare=False)
    created_at_display: str = field(init=False, compare=False)
    is_expired: bool = field(init=False, compare=False)

    def __post_init__(self, text: LineText) -> None:
        # The dataclasses documentation's way to set a frozen instance's derived fields.
        derive = functools.partial(object.__setattr__, self)
        derive("kind_label", text.kind_label(self.kind))
        derive("meta_line", text.meta_line(self.sender_role, self.sender_places, self.area_name))
        derive("created_at_display", text.message_datetime(self.created_at))
        derive("is_expired", self.expires_at is not None and self.expires_at <= text.now)

    @classmethod
    def of(cls, delivery: Delivery) -> InboxEntry:
        """A delivery's line, from the models (the composer's preview of one)."""
        alert = delivery.alert
        return cls(
            delivery.pk,
            alert.title,
            "",
            alert.kind,
            alert.severity,
            alert.is_exercise,
            alert.expires_at,
            alert.sender_role,
            alert.sender_places,
            delivery.area.name if delivery.area else None,
            delivery.created_at,
            delivery.read_at,
            alert_selectors.withdrawals(alert).exists(),
            LineText(),
        )

    @property
    def is_urgent(self) -> bool:
        return self.severity == Severity.URGENT

    @property
    def url(self) -> str:
        return pk_url("notifications:inbox_entry", self.pk)


@dataclass(frozen=True)
class TiedMessage:
    """An alert tied to the one a member reads: the alert it updates or withdraws, or
    one that updates or withdraws it. Named, with a link, only through the member's own
    copy: an alert that did not reach them is not named."""

    # When the member's copy came (the time its line in the inbox gives), or else when
    # the alert went out.
    came_at: dt.datetime | None
    withdraws: bool
    delivery_id: int | None
    title: str
    # The language of the title when it is a version's, for ``lang``/``dir``; empty for
    # the Swedish one.
    language: str

    @property
    def url(self) -> str:
        return pk_url("notifications:inbox_entry", self.delivery_id) if self.delivery_id else ""


@dataclass(frozen=True)
class FollowUps:
    # The alert this one updates or withdraws.
    original: TiedMessage | None
    # The alerts that went out updating or withdrawing this one, newest first.
    later: list[TiedMessage]

    @property
    def withdrawal(self) -> TiedMessage | None:
        return next((message for message in self.later if message.withdraws), None)

    @property
    def update(self) -> TiedMessage | None:
        """The newest update the member received."""
        return next((m for m in self.later if not m.withdraws and m.delivery_id), None)


def follow_ups(delivery: Delivery, reader: User) -> FollowUps:
    """What the alert a member reads is tied to: an alert later withdrawn says so on its
    page, as its line in the inbox does; an update or withdrawal the member received is a
    link, with its title in the language they were sent; an update links back to what it
    updates.

    One statement, in SQL as the inbox's lines are: through the ORM, with the member's
    copy as a subquery, it took 1.3 ms of CPU on every opening of a message, most of them
    with nothing to find. tests/test_inbox_follow_ups.py holds it to ``withdrawals()``."""
    alert = delivery.alert
    with connection.cursor() as cursor:
        cursor.execute(
            _FOLLOW_UPS,
            [
                *(reader.pk, Channel.INAPP, DeliveryStatus.SENT),
                *(alert.pk, AlertStatus.SENDING, AlertStatus.SENT, alert.refers_to_id),
            ],
        )
        rows = cursor.fetchall()
    messages = {
        pk: TiedMessage(
            _aware(came_at or sent_at),
            bool(cancels_original),
            copy_id,
            version_title or title if copy_id is not None else "",
            language if version_title else "",
        )
        for pk, sent_at, came_at, cancels_original, copy_id, title, version_title, language in rows
    }
    original = None if alert.refers_to_id is None else messages.pop(alert.refers_to_id, None)
    return FollowUps(original, list(messages.values()))


# An alert's original is found by its id: none (NULL) finds nothing. An update or a
# withdrawal counts from when it starts going out: a member may have their copy before the
# last of a large alert's are queued.
_FOLLOW_UPS = """
SELECT alert.id, alert.sent_at, copy.created_at, alert.cancels_original, copy.id,
    alert.title, version.title, copy.language
FROM notifications_alert AS alert
    LEFT JOIN notifications_delivery AS copy
        ON copy.alert_id = alert.id AND copy.user_id = %s AND copy.channel = %s
            AND copy.status = %s
    LEFT JOIN notifications_alertversion AS version
        ON version.alert_id = alert.id AND version.language = copy.language
WHERE (alert.refers_to_id = %s AND alert.status IN (%s, %s)) OR alert.id = %s
ORDER BY alert.sent_at DESC NULLS LAST, alert.id DESC
"""


class LineText:
    """What every line of one page says of its values: in the active language and time
    zone, as of now. Each of these is read through the request's locals (asgiref) or the
    clock, so once a page, not on every line."""

    def __init__(self) -> None:
        self.language = get_language()
        self.now = timezone.now()
        self.message_datetime = MessageDateTimes()

    def kind_label(self, kind: str) -> str:
        return _kind_label(self.language, kind)

    def meta_line(self, sender_role: str, sender_places: list[str], area_name: str | None) -> str:
        """Who it is from and the member's own area it reached them in ("From the police
        in Mariestad · Sent to Marieholm")."""
        return _meta_line(self.language, sender_role, tuple(sender_places), area_name)


@functools.lru_cache(maxsize=64)
def _kind_label(_language: str, kind: str) -> str:
    return kind_label(kind)


# An inbox's lines mostly share a sender and an area: each line is made once per
# language and process, not on every line of every page (a sixth of the list's template
# time; docs/performance.md, "a fourth round"). The language is the key's: the
# strings are translated into the active one.
@functools.lru_cache(maxsize=1024)
def _meta_line(
    _language: str, sender_role: str, sender_places: tuple[str, ...], area_name: str | None
) -> str:
    area = gettext("Sent to %(areas)s") % {"areas": area_name} if area_name else ""
    return " · ".join(filter(None, [sender_line(sender_role, list(sender_places)), area]))


def entries_between(user_id: int, start: int, stop: int) -> list[InboxEntry]:
    """The inbox's lines ``start`` to ``stop`` (newest first): what ``inbox`` lists, with
    the title in the language the member was sent (none: the Swedish one).

    Written in SQL, as ``message_counts`` is: the ORM took 0.8 ms of CPU to build this
    statement on every inbox and start page, three times what running it and reading 20
    lines takes (docs/performance.md, "a fourth round"). tests/test_inbox_lines.py
    holds it to ``inbox``.
    """
    if stop <= start:  # an empty inbox's only page: nothing to ask
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _ENTRIES,
            [
                *(AlertStatus.SENDING, AlertStatus.SENT),
                *(user_id, Channel.INAPP, DeliveryStatus.SENT, stop - start, start),
            ],
        )
        rows = cursor.fetchall()
    text = LineText()
    return [
        InboxEntry(
            pk,
            version_title or title,
            language if version_title else "",
            kind,
            severity,
            bool(is_exercise),
            _aware(expires_at),
            sender_role,
            json.loads(sender_places) if isinstance(sender_places, str) else sender_places,
            area_name,
            _aware(created_at),
            _aware(read_at),
            bool(is_withdrawn),
            text,
        )
        for (
            pk,
            version_title,
            title,
            language,
            kind,
            severity,
            is_exercise,
            expires_at,
            sender_role,
            sender_places,
            area_name,
            created_at,
            read_at,
            is_withdrawn,
        ) in rows
    ]


_ENTRIES = """
SELECT delivery.id, version.title, alert.title, delivery.language, alert.kind,
    alert.severity, alert.is_exercise, alert.expires_at, alert.sender_role,
    alert.sender_places, area.name, delivery.created_at, delivery.read_at,
    EXISTS (SELECT 1 FROM notifications_alert AS later
            WHERE later.refers_to_id = alert.id AND later.cancels_original
                AND later.status IN (%s, %s))
FROM notifications_delivery AS delivery
    JOIN notifications_alert AS alert ON alert.id = delivery.alert_id
    LEFT JOIN notifications_alertversion AS version
        ON version.alert_id = delivery.alert_id AND version.language = delivery.language
    LEFT JOIN watch_watcharea AS area ON area.id = delivery.area_id
WHERE delivery.user_id = %s AND delivery.channel = %s AND delivery.status = %s
ORDER BY delivery.created_at DESC
LIMIT %s OFFSET %s
"""


@overload
def _aware(moment: dt.datetime) -> dt.datetime: ...


@overload
def _aware(moment: dt.datetime | None) -> dt.datetime | None: ...


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite's driver gives a stored time without its zone, which is UTC (USE_TZ)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


class InboxLines(Sequence[InboxEntry]):
    """A member's inbox as a sequence a ``Paginator`` slices: as long as the header's
    statement counted (``MessageCounts.alerts``), read one page at a time."""

    def __init__(self, user_id: int, count: int) -> None:
        self.user_id = user_id
        self.count_of_lines = count

    def __len__(self) -> int:
        return self.count_of_lines

    @overload
    def __getitem__(self, index: int) -> InboxEntry: ...

    @overload
    def __getitem__(self, index: slice) -> list[InboxEntry]: ...

    def __getitem__(self, index: int | slice) -> InboxEntry | list[InboxEntry]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                raise ValueError("an inbox is read in pages, not in steps")
            return entries_between(self.user_id, start, stop)
        lines = entries_between(self.user_id, index, index + 1)
        if not lines:
            raise IndexError(index)
        return lines[0]


def recent_entries(user_id: int, count: int) -> list[InboxEntry]:
    return entries_between(user_id, 0, count)


@dataclass(frozen=True)
class MessageCounts:
    """What every signed-in page's header shows, and what the inbox needs to page."""

    unread: int  # alerts and answers' notices not yet read: the header's count
    email_suspended: bool  # their address bounced until it was suspended
    alerts: int  # the inbox's alerts, read or not
    notices: int  # answers' notices, read or not


def message_counts(user_id: int, email: str) -> MessageCounts:
    """One SQL statement for the header of every signed-in page.

    Written in SQL: the ORM built the same counts and EXISTS in 1.3 ms of CPU on every
    signed-in page, a seventh of an inbox; this takes 0.1 ms (README "Pages under
    load"). It counts what ``inbox`` and ``notifications.answers.selectors.notices``
    list and finds the row ``notifications.bounces.selectors.suspended_rows`` finds;
    tests/test_navigation.py holds it to them.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _MESSAGE_COUNTS,
            [
                *(user_id, address_hash(email)),
                *(user_id, Channel.INAPP, DeliveryStatus.SENT),
                user_id,
            ],
        )
        unread_alerts, alerts, unread_notices, all_notices, suspended = cursor.fetchone()
    return MessageCounts(
        unread=unread_alerts + unread_notices,
        email_suspended=bool(suspended),
        alerts=alerts,
        notices=all_notices,
    )


_MESSAGE_COUNTS = """
SELECT deliveries.unread, deliveries.total, answers.unread, answers.total,
    EXISTS (SELECT 1 FROM notifications_bouncingaddress
            WHERE user_id = %s AND address_hash = %s AND suspended_at IS NOT NULL)
FROM
    (SELECT COUNT(*) FILTER (WHERE read_at IS NULL) AS unread, COUNT(*) AS total
     FROM notifications_delivery WHERE user_id = %s AND channel = %s AND status = %s)
    AS deliveries,
    (SELECT COUNT(*) FILTER (WHERE read_at IS NULL) AS unread, COUNT(*) AS total
     FROM notifications_notice WHERE user_id = %s) AS answers
"""


def message_counts_for(request: HttpRequest, user: User) -> MessageCounts:
    """``message_counts`` of the request's signed-in ``user``, once per request: the
    header and the inbox ask for them both."""
    counts: MessageCounts | None = getattr(request, "_message_counts", None)
    if counts is None:
        counts = message_counts(user.pk, user.email)
        setattr(request, "_message_counts", counts)  # noqa: B010 - not an HttpRequest field
    return counts
