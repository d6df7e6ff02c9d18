"""A member's in-app inbox: their sent in-app deliveries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext

from accounts.models import User
from notifications.alerts.models import (
    AlertVersion,
    Channel,
    Delivery,
    Severity,
    kind_label,
    sender_line,
)
from notifications.notices.services import address_hash
from notifications.outbox.models import DeliveryStatus


def inbox(user_id: int) -> QuerySet[Delivery]:
    return Delivery.objects.filter(
        user_id=user_id, channel=Channel.INAPP, status=DeliveryStatus.SENT
    ).order_by("-created_at")


@dataclass(frozen=True)
class InboxEntry:
    """A line of the inbox's lists (the inbox, the start pages), read as plain values.

    Not the models: building a delivery, its alert and its area for each line cost
    more than the query itself, and the lists show a dozen of their fields
    (README "Pages under load").
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
        )

    @property
    def is_urgent(self) -> bool:
        return self.severity == Severity.URGENT

    def kind_label(self) -> str:
        return kind_label(self.kind)

    def meta_line(self) -> str:
        """Who it is from and the member's own area it reached them in ("From the police
        in Mariestad · Sent to Marieholm"), in the active language."""
        area = gettext("Sent to %(areas)s") % {"areas": self.area_name} if self.area_name else ""
        return " · ".join(filter(None, [sender_line(self.sender_role, self.sender_places), area]))


_ENTRY_FIELDS = (
    "pk",
    "version_title",
    "alert__title",
    "language",
    "alert__kind",
    "alert__severity",
    "alert__is_exercise",
    "alert__expires_at",
    "alert__sender_role",
    "alert__sender_places",
    "area__name",
    "created_at",
    "read_at",
)


def entry_rows(user_id: int) -> QuerySet[Delivery, tuple[Any, ...]]:
    """The inbox's lines as value tuples, newest first: slice it (a page, the start
    page's few), then make them ``entries``."""
    return (
        inbox(user_id)
        # The title in the language the member was sent (none: the Swedish one).
        .annotate(
            version_title=Subquery(
                AlertVersion.objects.filter(
                    alert_id=OuterRef("alert_id"), language=OuterRef("language")
                ).values("title")[:1]
            )
        )
        .values_list(*_ENTRY_FIELDS)
    )


def entries(rows: Iterable[tuple[Any, ...]]) -> list[InboxEntry]:
    return [
        InboxEntry(
            pk,
            version_title or title,
            language if version_title else "",
            *rest,
        )
        for pk, version_title, title, language, *rest in rows
    ]


def recent_entries(user_id: int, count: int) -> list[InboxEntry]:
    return entries(entry_rows(user_id)[:count])


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
