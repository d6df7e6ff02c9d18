"""Whole local days as bounds on an indexed timestamp, for the date filters of lists; and
when a message was sent, as the lists of messages and its own page say it."""

from __future__ import annotations

import functools
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import get_language

# When a message was sent: the day in words, which a member reads at a glance, and the
# year only when it is not this one. Django's date format letters, for the record and the
# tests: message_datetime gives what ``value|date:<format>`` gives.
THIS_YEAR_FORMAT = "j F, H:i"
OTHER_YEAR_FORMAT = "j F Y, H:i"


def start_of_day(day: date) -> datetime:
    """Midnight at the start of ``day`` in the site's time zone (Europe/Stockholm)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def message_datetime(value: datetime | None) -> str:
    """When a message was sent or written, or a request or report made, as residents and
    area contacts read it, in the site's time zone and the active language: "5 December,
    13:51", or "23 June 2025, 15:21" in another year. Officials' lists keep ISO times."""
    return MessageDateTimes()(value)


class MessageDateTimes:
    """``message_datetime`` for every line of one page: the time zone, the year and the
    names of the months are read once a page, not once a line, for each read goes through
    the request's locals (asgiref). Django's ``date`` filter took 18 µs a line, a fifth of
    an inbox line's template time (docs/performance.md, "a fifth round"); this takes
    about 2."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()
        self.this_year = timezone.localtime(timezone.now(), self.zone).year
        self.months = _month_names(get_language())

    def __call__(self, value: datetime | None) -> str:
        if not value:  # None, or "" for a variable the template could not resolve
            return ""
        local = value.astimezone(self.zone) if timezone.is_aware(value) else value
        year = "" if local.year == self.this_year else f" {local.year}"
        return f"{local.day} {self.months[local.month]}{year}, {local:%H:%M}"


@functools.lru_cache(maxsize=8)
def _month_names(_language: str | None) -> dict[int, str]:
    """The months' names in the active language, once per language and process (the
    language is the key's: the names are translated into the active one)."""
    return {number: str(name) for number, name in MONTHS.items()}
