"""What lists of many rows use instead of Django's own, for speed, must give what Django's
gives: when a message was sent, in every language and season, and each row's and link's
address."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings as site_settings
from django.template.defaultfilters import date as date_filter
from django.urls import reverse, set_script_prefix
from django.utils import timezone, translation

from watch import dates
from watch.shortcuts import link_url, pk_url

MOMENTS = [
    dt.datetime(2026, 1, 5, 6, 7, 8, tzinfo=dt.UTC),
    # The night Sweden goes to summer time, and the one it leaves it.
    dt.datetime(2026, 3, 29, 0, 59, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC),
    # New Year's Eve in UTC, already the next year in Sweden.
    dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
    dt.datetime(2025, 6, 23, 13, 21, tzinfo=dt.UTC),
]


@pytest.mark.parametrize("language", [code for code, _name in site_settings.LANGUAGES])
@pytest.mark.parametrize("moment", MOMENTS)
def test_when_a_message_was_sent_is_djangos_date_in_every_language(language, moment):
    """The year is shown only when it is not this one (2026, as the clock is set here)."""
    local = timezone.localtime(moment)
    django_format = dates.THIS_YEAR_FORMAT if local.year == 2026 else dates.OTHER_YEAR_FORMAT
    with (
        time_machine.travel(dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC)),
        translation.override(language),
    ):
        assert dates.message_datetime(moment) == date_filter(local, django_format)


def test_the_months_are_named_in_the_language_of_the_page():
    moment = dt.datetime(2025, 6, 23, 13, 21, tzinfo=dt.UTC)
    with time_machine.travel(dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC)):
        with translation.override("sv"):
            assert dates.message_datetime(moment) == "23 juni 2025, 15:21"
        with translation.override("en"):
            assert dates.message_datetime(moment) == "23 June 2025, 15:21"
            assert dates.message_datetime(moment.replace(year=2026)) == "23 June, 15:21"


def test_no_time_is_no_text_and_a_naive_time_is_shown_as_it_is():
    assert dates.message_datetime(None) == ""
    assert dates.message_datetime("") == ""  # a variable the template could not resolve
    naive = dt.datetime(timezone.now().year, 6, 1, 9, 5)
    assert dates.message_datetime(naive) == date_filter(naive, dates.THIS_YEAR_FORMAT)


@pytest.mark.parametrize("pk", [1, 7, 42, 1234567, 9_876_543_210])
@pytest.mark.parametrize(
    "name", ["notifications:inbox_entry", "watch:remove", "watch:manage_area", "watch:approve"]
)
def test_a_rows_address_is_what_reverse_gives(name, pk):
    assert pk_url(name, pk) == reverse(name, args=[pk])


@pytest.mark.parametrize("name", ["watch:home", "notifications:inbox", "watch:manage"])
def test_a_links_address_is_what_reverse_gives(name):
    assert link_url(name) == reverse(name)


def test_addresses_reversed_once_follow_the_script_prefix():
    link_url("notifications:inbox")  # kept for the prefix "/"
    set_script_prefix("/grannsamverkan/")
    try:
        assert pk_url("notifications:inbox_entry", 5) == reverse(
            "notifications:inbox_entry", args=[5]
        )
        assert pk_url("notifications:inbox_entry", 5).startswith("/grannsamverkan/")
        assert link_url("notifications:inbox") == reverse("notifications:inbox")
        assert link_url("notifications:inbox").startswith("/grannsamverkan/")
    finally:
        set_script_prefix("/")
