"""Reading the police's answer (``/api/events``): a JSON array of events.

Documented by the police at
https://polisen.se/om-polisen/om-webbplatsen/oppna-data/api-over-polisens-handelser/:
at most the 500 latest events, each with ``id``, ``datetime`` (``"2018-04-13 9:58:49
+02:00"``: the hour may have one digit), ``name``, ``summary``, ``url`` (full or
relative to polisen.se), ``type`` and ``location`` (``name``, ``gps``). An event that
does not have that shape is skipped and logged; the rest of the answer still counts.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from official.reading import UnreadableAnswer, each_once, json_answer, text

POLICE_SITE = "https://polisen.se"
# The API's own limit; a longer answer is cut, not trusted.
MOST_EVENTS = 500
DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2}):(\d{2}) ([+-])(\d{2}):?(\d{2})$")


@dataclass(frozen=True)
class Event:
    police_id: int
    happened_at: datetime
    name: str
    summary: str
    url: str
    type: str
    location: str


def read(body: bytes) -> list[Event]:
    """The events in ``body``, each id once, at most ``MOST_EVENTS``."""
    items = json_answer(body)
    if not isinstance(items, list):
        raise UnreadableAnswer(f"not a list but {type(items).__name__}")
    return each_once(
        items, _event, lambda event: event.police_id, most=MOST_EVENTS, what="Police events"
    )


def _event(item: Any) -> Event:
    police_id = item["id"]
    if not isinstance(police_id, int) or isinstance(police_id, bool) or police_id <= 0:
        raise ValueError(f"id {police_id!r}")
    location = item["location"]
    return Event(
        police_id=police_id,
        happened_at=parse_datetime(text(item, "datetime", 40)),
        name=text(item, "name", 300),
        summary=text(item, "summary", 2000, required=False),
        url=_url(text(item, "url", 500)),
        type=text(item, "type", 100),
        location=text(location, "name", 100),
    )


def parse_datetime(value: str) -> datetime:
    """The police's ``2018-04-13 9:58:49 +02:00``, or an ISO 8601 time with an offset."""
    if match := DATETIME.match(value.strip()):
        year, month, day, hour, minute, second, sign, offset_h, offset_m = match.groups()
        offset = timedelta(hours=int(offset_h), minutes=int(offset_m))
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            tzinfo=timezone(-offset if sign == "-" else offset),
        )
    moment = datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        raise ValueError(f"time without an offset: {value!r}")
    return moment


def _url(value: str) -> str:
    """Absolute, and on polisen.se: a link elsewhere is not the police's own page."""
    url = urllib.parse.urljoin(POLICE_SITE + "/", value)
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "https" or parts.hostname not in {"polisen.se", "www.polisen.se"}:
        raise ValueError(f"url {value!r} is not on polisen.se")
    return url
