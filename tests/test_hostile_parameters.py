"""Parameters of an address that nothing may hold, refused with the 400 page before
anything reads them: a NUL character in a query string (no text column of PostgreSQL
can hold one: a filter on it was a 500 there), and what Django's admin reads from a
request unchecked (an empty ``_to_field``, a year past 9998, an action's rows by name)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import alert_for

pytestmark = pytest.mark.django_db

REFUSED = "The request could not be read"


def assert_refused(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 400
    assert REFUSED in response.content.decode()


@pytest.mark.parametrize(
    "query", ["municipality=%00", "municipality=a%00b", "%00=1", "q=%2500&municipality=%00"]
)
@pytest.mark.parametrize(
    "url", ["watch:area_list", "watch:areas_geojson", "watch:observation_nearby"]
)
def test_a_nul_character_in_a_query_string_is_refused(area, url, query):
    assert_refused(Client().get(f"{reverse(url)}?{query}"))


def test_a_query_string_that_only_names_percent_zero_zero_is_read(area):
    # "%2500" is the text "%00", not a NUL character.
    response = Client().get(reverse("watch:area_list"), {"municipality": "%00"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "_to_field=",
        "created_at__year=9999",
        "created_at__year=9999&created_at__month=12",
        "created_at__year=18446744073709551616",
        "created_at__year=0",
        "created_at__year=²",
        "created_at__year=02026",
    ],
)
def test_what_the_admin_reads_unchecked_is_refused(admin_user, police, area, query):
    alert = alert_for(police, area)
    client = client_for(admin_user)
    pages = [reverse("admin:notifications_alert_changelist")]
    if query.startswith("_to_field"):
        pages.append(reverse("admin:notifications_alert_change", args=[alert.pk]))

    for page in pages:
        assert_refused(client.get(f"{page}?{query}"))


def test_a_year_the_date_hierarchy_can_show_is_read(admin_user, police, area):
    alert_for(police, area)
    client = client_for(admin_user)
    changelist = reverse("admin:notifications_alert_changelist")

    assert client.get(changelist, {"created_at__year": "2026"}).status_code == 200
    # An empty one is Django's to answer, with its list's error page.
    assert client.get(changelist, {"created_at__year": ""}).url == f"{changelist}?e=1"


def test_a_visitor_is_sent_to_sign_in_whatever_the_address(client):
    response = client.get(reverse("admin:notifications_alert_changelist"), {"_to_field": ""})

    assert response.status_code == 302
    assert "login" in response.url


WHOLE_NUMBERS = {"AutoField", "BigAutoField", "IntegerField", "BigIntegerField"}


def test_every_model_in_the_admin_has_whole_numbers_for_keys():
    """What lets the admin's actions refuse rows named by anything but an id."""
    kinds = {
        model._meta.label: model._meta.pk.get_internal_type()
        for model in apps.get_models()
        if admin.site.is_registered(model)
    }

    assert len(kinds) > 40
    assert {label: kind for label, kind in kinds.items() if kind not in WHOLE_NUMBERS} == {}


@pytest.mark.parametrize("selected", ["abc", "1e309", "nan", " ", "99999999999999999999"])
def test_an_admin_action_on_rows_named_by_anything_but_an_id_is_refused(
    admin_user, police, area, selected
):
    alert = alert_for(police, area)

    response = client_for(admin_user).post(
        reverse("admin:notifications_alert_changelist"),
        {"action": "delete_selected", "_selected_action": [str(alert.pk), selected]},
    )

    assert_refused(response)
    assert type(alert).objects.filter(pk=alert.pk).exists()
