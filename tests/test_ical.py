"""iCalendar output (RFC 5545): structure, escaping, folding, CRLF, UID and SEQUENCE.

Each calendar is parsed back with the small parser below, which unfolds lines and
unescapes TEXT the way a calendar application does, so the tests check what an
application would read, not only what the generator wrote.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import MeetingFactory
from watch.community import ical, meetings
from watch.community.meetings import MeetingDetails

# --- A small parser --------------------------------------------------------------------------


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text[:-2].replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def parse(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """(calendar properties, events): names to raw values, parameters dropped."""
    calendar: dict[str, str] = {}
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    stack: list[str] = []
    for line in unfold(text):
        name_params, _sep, value = line.partition(":")
        name = name_params.split(";")[0]
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
            continue
        if name == "END":
            assert stack.pop() == value
            if value == "VEVENT":
                events.append(current)
                current = None
            continue
        target = current if current is not None else calendar
        target[name] = value
    assert stack == []
    return calendar, events


def event(**fields: object) -> ical.Event:
    moment = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)
    defaults: dict[str, object] = {
        "uid": "meeting-1@example.org",
        "sequence": 0,
        "stamp": moment,
        "starts_at": moment,
        "ends_at": moment + timedelta(hours=2),
        "summary": "Grannmöte",
    }
    return ical.Event(**{**defaults, **fields})


# --- Structure -------------------------------------------------------------------------------


def test_a_calendar_has_the_required_properties_in_utc():
    text = ical.calendar([event(location="Föreningshuset", description="Fika")])

    calendar, [vevent] = parse(text)
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == ical.PRODID
    assert "METHOD" not in calendar
    assert vevent["UID"] == "meeting-1@example.org"
    assert vevent["DTSTAMP"] == "20260601T160000Z"
    assert (vevent["DTSTART"], vevent["DTEND"]) == ("20260601T160000Z", "20260601T180000Z")
    assert (vevent["SUMMARY"], vevent["LOCATION"], vevent["DESCRIPTION"]) == (
        "Grannmöte",
        "Föreningshuset",
        "Fika",
    )
    assert (vevent["SEQUENCE"], vevent["STATUS"]) == ("0", "CONFIRMED")


def test_local_times_are_written_in_utc():
    summer = datetime.fromisoformat("2026-06-01T18:00:00+02:00")
    winter = datetime.fromisoformat("2026-12-01T18:00:00+01:00")

    assert ical.utc(summer) == "20260601T160000Z"
    assert ical.utc(winter) == "20261201T170000Z"


def test_every_line_ends_in_crlf_and_no_bare_newline_remains():
    text = ical.calendar([event(description="one\ntwo\r\nthree\rfour")])

    assert "\n" not in text.replace("\r\n", "")
    assert "\r" not in text.replace("\r\n", "")
    _calendar, [vevent] = parse(text)
    assert unescape(vevent["DESCRIPTION"]) == "one\ntwo\nthree\nfour"


# --- Escaping --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "Kaffe, kaka; och samtal",
        "C:\\Mötesrum\\A",
        "Rad ett\nRad två",
        'Citat "så här" och: kolon',
        "\\n is not a newline; \\, is not a comma",
    ],
)
def test_text_is_escaped_and_reads_back_unchanged(value):
    text = ical.calendar([event(summary=value, location=value, description=value)])

    _calendar, [vevent] = parse(text)
    for name in ("SUMMARY", "LOCATION", "DESCRIPTION"):
        assert unescape(vevent[name]) == value
        # No unescaped separator is left in the value.
        assert not re.search(r"(?<!\\)(\\\\)*[;,]", vevent[name].replace("\\\\", ""))


def test_control_characters_cannot_inject_properties():
    text = ical.calendar([event(summary="Möte\x0bEND:VEVENT\r\nBEGIN:VEVENT")])

    _calendar, events = parse(text)
    assert len(events) == 1
    assert unescape(events[0]["SUMMARY"]) == "MöteEND:VEVENT\nBEGIN:VEVENT"


# --- Folding ---------------------------------------------------------------------------------


@pytest.mark.parametrize("character", ["a", "å", "€", "😀"])
def test_long_lines_are_folded_at_75_octets_without_splitting_characters(character):
    description = character * 400
    text = ical.calendar([event(description=description)])

    physical = text.split("\r\n")[:-1]
    assert max(len(line.encode()) for line in physical) <= 75
    assert any(line.startswith(" ") for line in physical)
    for line in physical:
        line.encode().decode()  # each physical line is whole UTF-8
    _calendar, [vevent] = parse(text)
    assert vevent["DESCRIPTION"] == description


def test_a_line_of_exactly_75_octets_is_not_folded():
    line = "X" * 75
    assert ical.fold(line) == line
    assert ical.fold(line + "Y") == "X" * 75 + "\r\n Y"


# --- Meetings: UID, SEQUENCE, cancellation ------------------------------------------------------


@pytest.mark.django_db
def test_the_uid_is_stable_and_the_sequence_grows_with_every_change(area, area_contact):
    meeting = MeetingFactory(area=area)
    _calendar, [first] = parse(ical.invitation(meeting, attendee="anna@example.org"))

    starts_at = meeting.starts_at + timedelta(days=1)
    details = MeetingDetails(
        kind=meeting.kind,
        title="Nytt datum",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        location=meeting.location,
    )
    meetings.update_meeting(actor=area_contact, meeting=meeting, details=details, notify=False)
    calendar, [second] = parse(ical.invitation(meeting, attendee="anna@example.org"))

    assert second["UID"] == first["UID"]
    assert re.fullmatch(rf"meeting-{meeting.pk}@[a-z0-9.-]+", first["UID"])
    assert (int(first["SEQUENCE"]), int(second["SEQUENCE"])) == (0, 1)
    assert second["SUMMARY"] == "Nytt datum"
    assert calendar["METHOD"] == "PUBLISH"
    assert second["ORGANIZER"].startswith("mailto:")
    assert "ATTENDEE" not in second

    meetings.cancel_meeting(actor=area_contact, meeting=meeting)
    calendar, [third] = parse(ical.invitation(meeting, attendee="anna@example.org"))

    assert third["UID"] == first["UID"]
    assert int(third["SEQUENCE"]) == 2
    assert (calendar["METHOD"], third["STATUS"]) == ("CANCEL", "CANCELLED")
    assert third["ATTENDEE"] == "mailto:anna@example.org"


@pytest.mark.django_db
def test_the_mime_part_carries_the_method_as_rfc_5545_requires(area):
    meeting = MeetingFactory(area=area)

    part = ical.invitation_attachment(meeting, attendee="anna@example.org")

    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH"
    assert part.get_param("charset") == "utf-8"
    assert part.get_filename() == "meeting.ics"
    body = part.get_payload(decode=True).decode()
    assert "\r\nMETHOD:PUBLISH\r\n" in body
