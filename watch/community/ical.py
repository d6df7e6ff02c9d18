"""iCalendar (RFC 5545) for meetings: the e-mailed invitation and the area's calendar feed.

Written here rather than taken from a library because the project needs a small,
fixed subset: VCALENDAR with VEVENTs, UTC times, TEXT escaping and line folding.
Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 sequence.

A meeting's UID stays the same for its whole life and its SEQUENCE grows with every
change, so a calendar that already holds the meeting replaces it instead of adding
a second copy. An e-mailed copy carries a METHOD (RFC 5546: PUBLISH, or CANCEL for a
cancelled meeting) and the same method as a Content-Type parameter, as RFC 5545
§3.7.2 requires; the subscribed feed is a plain calendar without METHOD.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.mime.text import MIMEText
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone

from notifications.rendering import site_host
from watch.community.models import Meeting

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//Grannsamverkan//Meetings//EN"
# Feeds are polled; RFC 7986 REFRESH-INTERVAL suggests how often.
REFRESH_INTERVAL = "PT6H"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Event:
    uid: str
    sequence: int
    stamp: datetime
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str = ""
    description: str = ""
    cancelled: bool = False


def escape_text(value: str) -> str:
    """A TEXT value (§3.3.11): backslash, semicolon and comma escaped, newlines as \\n."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def quote_param(value: str) -> str:
    """A parameter value (§3.2): quoted, since a name may hold ':' ';' or ','; no DQUOTE."""
    return '"' + _CONTROL.sub("", value.replace('"', "")) + '"'


def utc(moment: datetime) -> str:
    """DATE-TIME in UTC form (§3.3.5), e.g. 20260601T170000Z."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold a content line (§3.1): at most 75 octets per line, continuations start with a space."""
    encoded = line.encode()
    if len(encoded) <= MAX_OCTETS:
        return line
    parts: list[str] = []
    start, limit = 0, MAX_OCTETS
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        # Never cut inside a multi-byte character: back up to a character start.
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(encoded[start:end].decode())
        start, limit = end, MAX_OCTETS - 1  # the leading space counts
    return (CRLF + " ").join(parts)


def _event_lines(event: Event, organizer: str, attendee: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{utc(event.stamp)}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTART:{utc(event.starts_at)}",
        f"DTEND:{utc(event.ends_at)}",
        f"SUMMARY:{escape_text(event.summary)}",
        "STATUS:" + ("CANCELLED" if event.cancelled else "CONFIRMED"),
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if organizer:
        lines.append(organizer)
    if attendee:
        lines.append(f"ATTENDEE;ROLE=OPT-PARTICIPANT:mailto:{attendee}")
    lines.append("END:VEVENT")
    return lines


def calendar(
    events: Iterable[Event], *, method: str = "", name: str = "", attendee: str = ""
) -> str:
    """A whole iCalendar object, CRLF-terminated lines, folded."""
    lines = ["BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0", "CALSCALE:GREGORIAN"]
    organizer = ""
    if method:
        lines.append(f"METHOD:{method}")
        # iTIP (RFC 5546) requires an ORGANIZER on PUBLISH and CANCEL: the site's sender.
        display, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        organizer = f"ORGANIZER;CN={quote_param(display or settings.SITE_NAME)}:mailto:{address}"
    if name:
        lines += [
            f"NAME:{escape_text(name)}",
            f"X-WR-CALNAME:{escape_text(name)}",
            f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH_INTERVAL}",
            f"X-PUBLISHED-TTL:{REFRESH_INTERVAL}",
        ]
    for event in events:
        lines += _event_lines(event, organizer, attendee)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


# --- Meetings ----------------------------------------------------------------------------


def meeting_uid(meeting: Meeting) -> str:
    """Stable per meeting: the same UID in every e-mail and in the feed."""
    return f"meeting-{meeting.pk}@{site_host()}"


def event_of(meeting: Meeting, *, stamp: datetime | None = None) -> Event:
    return Event(
        uid=meeting_uid(meeting),
        sequence=meeting.sequence,
        stamp=stamp or meeting.updated_at,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=meeting.title,
        location=meeting.location,
        description=meeting.description,
        cancelled=meeting.cancelled,
    )


def area_feed(name: str, meetings: Iterable[Meeting]) -> str:
    """The subscribed calendar of an area: DTSTAMP is each meeting's last change."""
    return calendar((event_of(meeting) for meeting in meetings), name=name)


def invitation_method(meeting: Meeting) -> str:
    return "CANCEL" if meeting.cancelled else "PUBLISH"


def invitation(meeting: Meeting, *, attendee: str) -> str:
    """The calendar e-mailed to one member with an invitation, update or cancellation."""
    method = invitation_method(meeting)
    return calendar(
        [event_of(meeting, stamp=timezone.now())],
        method=method,
        # RFC 5546 §3.2.5: a CANCEL names the attendees it cancels for.
        attendee=attendee if method == "CANCEL" else "",
    )


def invitation_attachment(meeting: Meeting, *, attendee: str) -> MIMEText:
    """The invitation as a MIME part for ``EmailMessage.attach``: text/calendar with method."""
    part = MIMEText(invitation(meeting, attendee=attendee), "calendar", "utf-8")
    part.set_param("method", invitation_method(meeting))
    part.add_header("Content-Disposition", "attachment", filename="meeting.ics")
    return part
