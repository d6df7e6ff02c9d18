"""The area's page lists join requests, meetings ahead and households away, and asks the
database for a list only when the area has one: one query says which it has."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import HouseholdFactory, MeetingFactory, UserFactory, member_of, resident
from watch.areas.models import WatchArea
from watch.community.models import AwayNotice
from watch.households.models import Household, Membership, MembershipStatus

pytestmark = pytest.mark.django_db

NOTHING = ["No pending requests.", "No meetings are planned."]


def page(contact, area: WatchArea) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    client = client_for(contact)
    url = reverse("watch:manage_area", args=[area.pk])
    client.get(url)  # the session's first read of roles and header, not counted
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def a_request(area: WatchArea) -> str:
    user = UserFactory(full_name="Sam Sökande")
    household = HouseholdFactory.inside(area, street_address="Sökvägen 4")
    resident(user, household)
    Membership.objects.create(
        household=household, area=area, status=MembershipStatus.REQUESTED, requested_by=user
    )
    return "Sökvägen 4"


def a_meeting(area: WatchArea) -> str:
    MeetingFactory(area=area, title="Höstmöte")
    return "Höstmöte"


def an_away_notice(area: WatchArea) -> str:
    user = member_of(area)
    today = timezone.localdate()
    AwayNotice.objects.create(
        household=Household.objects.get(members__user=user),
        starts_on=today,
        ends_on=today + timedelta(days=7),
        created_by=user,
        note="Grannen vattnar",
    )
    return "Grannen vattnar"


@pytest.mark.parametrize("add", [a_request, a_meeting, an_away_notice])
def test_a_list_is_read_only_when_the_area_has_one(
    area_contact, area, add: Callable[[WatchArea], str]
):
    empty, statements = page(area_contact, area)
    for text in NOTHING:
        assert text in empty
    assert "Households away" not in empty

    shown = add(area)
    html, more = page(area_contact, area)
    assert shown in html
    assert more == statements + 1  # its list (a new household is in the same rows)
    assert sum(text in html for text in NOTHING) == len(NOTHING) - (add is not an_away_notice)


def test_what_is_over_or_elsewhere_is_not_listed(area_contact, area, area_b):
    ended = MeetingFactory(area=area, title="Vårmöte")
    ended.starts_at = timezone.now() - timedelta(days=2)
    ended.ends_at = ended.starts_at + timedelta(hours=2)
    ended.save()
    a_meeting(area_b)
    a_request(area_b)
    an_away_notice(area_b)
    html, _ = page(area_contact, area)
    for text in NOTHING:
        assert text in html
    assert "Vårmöte" not in html
    assert "Households away" not in html
