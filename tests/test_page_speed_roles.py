"""Signed-in pages read a person's roles from the database once per roles version, and
every change of roles shows on the next page at once (watch.permissions.roles_changed)."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.alerts.models import Delivery
from notifications.inbox.views import INBOX_PAGE_SIZE
from tests.conftest import client_for
from tests.factories import alert_for, member_of, official
from watch.dashboards.views import HOUSEHOLDS_PAGE_SIZE
from watch.roles.models import AreaContact, Official, OfficialKind

pytestmark = pytest.mark.django_db

ROLE_TABLES = ('FROM "watch_official"', 'FROM "watch_areacontact"', 'FROM "mfa_authenticator"')


def queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured]


def role_queries(client: Client, url: str) -> int:
    return sum(any(table in sql for table in ROLE_TABLES) for sql in queries(client, url))


def manage(area) -> str:  # type: ignore[no-untyped-def]
    return reverse("watch:manage_area", args=[area.pk])


def test_roles_are_read_once_then_reused_by_later_pages(area, area_contact):
    client = client_for(area_contact)

    assert role_queries(client, manage(area)) > 0
    assert role_queries(client, manage(area)) == 0
    assert role_queries(client, reverse("notifications:inbox")) == 0


def test_an_appointed_contact_manages_the_area_on_the_next_page(area, area_member):
    client = client_for(area_member)
    assert client.get(manage(area)).status_code == 404

    contact = AreaContact.objects.create(area=area, user=area_member)
    assert client.get(manage(area)).status_code == 200

    contact.delete()
    assert client.get(manage(area)).status_code == 404


def test_an_official_loses_a_municipality_on_the_next_page(area, municipality):
    police = official(OfficialKind.POLICE, municipality)
    client = client_for(police)
    assert client.get(manage(area)).status_code == 200

    Official.objects.get(user=police).municipalities.remove(municipality)
    assert client.get(manage(area)).status_code == 404

    Official.objects.get(user=police).municipalities.add(municipality)
    assert client.get(manage(area)).status_code == 200


def test_an_official_without_a_second_factor_any_more_loses_their_powers(area, municipality):
    police = official(OfficialKind.POLICE, municipality)
    client = client_for(police)
    assert client.get(manage(area)).status_code == 200

    Authenticator.objects.filter(user=police).delete()

    assert client.get(manage(area)).status_code != 200


def test_the_inbox_makes_as_many_queries_for_two_pages_of_entries_as_for_one(police, area):
    member = member_of(area)
    client = client_for(member)

    def add_entries(count: int) -> None:
        for _ in range(count):
            alert = alert_for(police, area, status="sent")
            Delivery.objects.create(alert=alert, user=member, channel="inapp", status="sent")

    add_entries(1)
    queries(client, reverse("notifications:inbox"))  # roles read once, as any first page
    one = len(queries(client, reverse("notifications:inbox")))
    add_entries(2 * INBOX_PAGE_SIZE)
    many = len(queries(client, reverse("notifications:inbox")))

    assert many == one


def test_the_dashboard_makes_as_many_queries_for_many_households_as_for_one(area, area_contact):
    client = client_for(area_contact)
    queries(client, manage(area))
    one = len(queries(client, manage(area)))
    for _ in range(2 * HOUSEHOLDS_PAGE_SIZE):
        member_of(area)

    many = queries(client, manage(area))

    assert len(many) == one
    # The members of the listed households come in one query, without their passwords.
    (members,) = [sql for sql in many if "watch_householdmember" in sql]
    assert "password" not in members
