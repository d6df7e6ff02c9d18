"""The area calendar: a signed, per-member URL that calendar apps fetch without logging in."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import HouseholdFactory, MeetingFactory, member_of, resident
from watch.community import meetings
from watch.households import services as household_services
from watch.households.models import Membership

pytestmark = pytest.mark.django_db


def feed_url(user, area) -> str:
    return reverse("watch:area_calendar", args=[meetings.calendar_token(user=user, area=area)])


def test_a_member_subscribes_from_the_household_page_and_the_app_needs_no_login(area, area_member):
    MeetingFactory(area=area, title="Vårmöte")
    page = client_for(area_member).get(reverse("watch:household")).content.decode()
    url = meetings.calendar_url(user=area_member, area=area)
    assert f'value="{url}"' in page
    assert "Vårmöte" in page

    response = Client().get(url.removeprefix("http://127.0.0.1:8000"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert "SUMMARY:Vårmöte\r\n" in body
    assert "X-WR-CALNAME:Marieholm\r\n" in body
    assert "METHOD" not in body


def test_the_feed_holds_the_areas_coming_and_recent_meetings_only(area, area_b, area_member):
    now = timezone.now()
    MeetingFactory(area=area, title="Kommande")
    MeetingFactory(
        area=area,
        title="Förra månaden",
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=30) + timedelta(hours=2),
    )
    MeetingFactory(
        area=area,
        title="För länge sedan",
        starts_at=now - timedelta(days=200),
        ends_at=now - timedelta(days=200) + timedelta(hours=2),
    )
    MeetingFactory(area=area, title="Inställt", cancelled=True)
    MeetingFactory(area=area_b, title="Grannområdet")

    body = Client().get(feed_url(area_member, area)).content.decode()

    assert "Kommande" in body
    assert "Förra månaden" in body
    for absent in ("För länge sedan", "Inställt", "Grannområdet"):
        assert absent not in body


def test_a_forged_or_foreign_token_opens_nothing(area, area_b, area_member):
    MeetingFactory(area=area_b, title="Grannområdet")
    forged = [
        signing.dumps({"u": area_member.pk, "a": area_b.pk}, salt="something else"),
        signing.dumps({"u": area_member.pk, "a": area_b.pk}, key="not the secret key"),
        meetings.calendar_token(user=area_member, area=area)[:-2] + "xx",
        "not-a-token",
    ]
    for token in forged:
        response = Client().get(reverse("watch:area_calendar", args=[token]))
        assert response.status_code == 404
    # A genuine token for an area the member does not belong to opens nothing either.
    assert Client().get(feed_url(area_member, area_b)).status_code == 404


def test_the_token_stops_working_when_the_household_leaves(area, area_member):
    url = feed_url(area_member, area)
    assert Client().get(url).status_code == 200

    household_services.leave_area(user=area_member)

    assert Client().get(url).status_code == 404


def test_the_token_stops_working_when_the_household_is_removed(area, area_member, area_contact):
    url = feed_url(area_member, area)
    membership = Membership.objects.get(household__members__user=area_member, status="approved")

    household_services.remove_household(actor=area_contact, membership=membership, reason="Flyttat")

    assert Client().get(url).status_code == 404


def test_a_deactivated_account_loses_the_calendar(area, area_member):
    url = feed_url(area_member, area)
    area_member.is_active = False
    area_member.save()

    assert Client().get(url).status_code == 404


def test_the_token_is_personal(area, area_member, area_contact):
    assert meetings.calendar_token(user=area_member, area=area) != meetings.calendar_token(
        user=area_contact, area=area
    )


def test_the_address_stays_the_same_over_time(area, area_member):
    with time_machine.travel("2026-01-01", tick=False):
        first = meetings.calendar_token(user=area_member, area=area)
    with time_machine.travel("2031-01-01", tick=False):
        assert meetings.calendar_token(user=area_member, area=area) == first
        assert meetings.area_for_token(first) == area


def test_a_household_that_is_not_approved_gets_no_calendar(area, member):
    household = HouseholdFactory.inside(area)
    resident(member, household)
    Membership.objects.create(household=household, area=area, requested_by=member)

    page = client_for(member).get(reverse("watch:household")).content.decode()

    assert "/calendar/" not in page
    assert Client().get(feed_url(member, area)).status_code == 404


def test_the_feed_and_the_household_page_take_a_constant_number_of_queries(
    area, area_member, django_assert_max_num_queries
):
    client = client_for(area_member)
    url = feed_url(area_member, area)
    MeetingFactory(area=area)
    with django_assert_max_num_queries(2) as feed_one:
        Client().get(url)
    with django_assert_max_num_queries(30) as page_one:
        client.get(reverse("watch:household"))

    for _ in range(25):
        MeetingFactory(area=area)
        member_of(area)

    with django_assert_max_num_queries(len(feed_one)):
        Client().get(url)
    with django_assert_max_num_queries(len(page_one)):
        client.get(reverse("watch:household"))


def test_the_household_page_offers_a_subscription_the_calendar_app_opens(area, area_member):
    page = client_for(area_member).get(reverse("watch:household")).content.decode()

    url = meetings.calendar_url(user=area_member, area=area)
    assert url.startswith("http://")
    assert f'href="webcal://{url.removeprefix("http://")}"' in page
    assert "Subscribe in your calendar app" in page


def test_no_calendar_is_offered_outside_an_area(area, area_member):
    Membership.objects.filter(household=area_member.household_member.household).delete()

    page = client_for(area_member).get(reverse("watch:household")).content.decode()

    assert "webcal:" not in page
    assert "js/copy.js" not in page
