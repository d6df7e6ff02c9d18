"""What lists of many rows use instead of Django's own, for speed, must give what Django's
gives: the short date and time in every language and season, and each row's and link's
address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as site_settings
from django.template.defaultfilters import date as date_filter
from django.test import override_settings
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
    dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
]


@pytest.mark.parametrize("language", [code for code, _name in site_settings.LANGUAGES])
@pytest.mark.parametrize("moment", MOMENTS)
def test_the_short_date_and_time_is_djangos_in_every_language(language, moment):
    with translation.override(language):
        assert dates.short_datetime(moment) == date_filter(
            timezone.localtime(moment), "SHORT_DATETIME_FORMAT"
        )


@pytest.mark.parametrize(
    "django_format", ["Y-m-d H:i", "d/m/Y H:i:s", "j F Y, H:i", "m/d/Y P", r"Y-m-d \a\t H:i", "Y%m"]
)
def test_any_format_gives_the_text_djangos_filter_gives(django_format, settings):
    settings.SHORT_DATETIME_FORMAT = django_format
    with translation.override(None), override_settings(FORMAT_MODULE_PATH=None):
        for moment in MOMENTS:
            expected = date_filter(timezone.localtime(moment), django_format)
            assert dates.short_datetime(moment) == expected


def test_no_time_is_no_text_and_a_naive_time_is_shown_as_it_is():
    assert dates.short_datetime(None) == ""
    assert dates.short_datetime("") == ""  # a variable the template could not resolve
    naive = dt.datetime(2026, 6, 1, 9, 5)
    assert dates.short_datetime(naive) == date_filter(naive, "SHORT_DATETIME_FORMAT")


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
