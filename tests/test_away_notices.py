"""Away notices (the digital grannlapp): who writes them, who sees them, and when they go."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import HouseholdFactory, member_of, resident
from watch import tasks
from watch.community import away
from watch.community.models import AwayNotice
from watch.households import services as household_services
from watch.households.models import Household

pytestmark = pytest.mark.django_db

AWAY = reverse("watch:away_notices")


def days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def notice_for(user, *, starts_in: int = 0, length: int = 7, **fields) -> AwayNotice:
    today = timezone.localdate()
    return AwayNotice.objects.create(
        household=Household.objects.get(members__user=user),
        starts_on=today + timedelta(days=starts_in),
        ends_on=today + timedelta(days=starts_in + length),
        created_by=user,
        **fields,
    )


def manage_page(user, area) -> str:
    response = client_for(user).get(reverse("watch:manage_area", args=[area.pk]))
    assert response.status_code == 200  # else "not shown" would prove nothing
    return response.content.decode()


def household_page(user) -> str:
    response = client_for(user).get(reverse("watch:household"))
    assert response.status_code == 200
    return response.content.decode()


# --- Writing ---------------------------------------------------------------------------------


def test_a_member_tells_the_contacts_that_the_household_is_away(area_member):
    response = client_for(area_member).post(
        AWAY,
        {"starts_on": days(3), "ends_on": days(10), "note": "Grannen Eva har nyckel."},
    )

    assert response.status_code == 302
    notice = AwayNotice.objects.get()
    assert notice.household == Household.objects.get(members__user=area_member)
    assert (notice.starts_on, notice.ends_on) == (
        date.fromisoformat(days(3)),
        date.fromisoformat(days(10)),
    )
    assert (notice.tell_neighbours, notice.created_by) == (False, area_member)
    assert "Grannen Eva har nyckel." in client_for(area_member).get(AWAY).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"starts_on": days(-1), "ends_on": days(3)}, "starts_on", "cannot be in the past"),
        ({"starts_on": days(5), "ends_on": days(4)}, "ends_on", "on or after the first day"),
        ({"starts_on": days(1), "ends_on": days(92)}, "ends_on", "at most 90 days"),
        ({"starts_on": "igår", "ends_on": days(4)}, "starts_on", "Enter a valid date"),
        ({"starts_on": days(1)}, "ends_on", "This field is required"),
        (
            {"starts_on": days(1), "ends_on": days(2), "note": "x" * 301},
            "note",
            "at most 300 characters",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(area_member, data, field, message):
    response = client_for(area_member).post(AWAY, data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert not AwayNotice.objects.exists()


def test_a_one_day_notice_starting_today_is_fine(area_member):
    client_for(area_member).post(AWAY, {"starts_on": days(0), "ends_on": days(0)})

    assert AwayNotice.objects.count() == 1


def test_a_household_outside_any_area_cannot_leave_a_notice(area, member):
    resident(member, HouseholdFactory.inside(area))  # registered, never joined

    response = client_for(member).post(AWAY, {"starts_on": days(1), "ends_on": days(2)})

    assert response.status_code == 200
    assert "must be a member of a watch area" in response.content.decode()
    assert not AwayNotice.objects.exists()


def test_the_number_of_open_notices_is_capped(area_member):
    for start in range(away.MAX_OPEN_NOTICES):
        notice_for(area_member, starts_in=start, length=0)

    response = client_for(area_member).post(AWAY, {"starts_on": days(20), "ends_on": days(21)})

    assert response.status_code == 200
    assert AwayNotice.objects.count() == away.MAX_OPEN_NOTICES


def test_a_member_deletes_their_households_notice_but_not_anyone_elses(
    area, area_member, area_contact
):
    own = notice_for(area_member)
    other = notice_for(area_contact)

    deleted = client_for(area_member).post(reverse("watch:away_notice_delete", args=[own.pk]))
    refused = client_for(area_member).post(reverse("watch:away_notice_delete", args=[other.pk]))

    assert deleted.status_code == 302
    assert refused.status_code == 404
    assert list(AwayNotice.objects.all()) == [other]


# --- Who sees what ---------------------------------------------------------------------------


def test_the_contacts_see_the_areas_notices_on_their_manage_page(area, area_member, area_contact):
    notice_for(area_member, note="Bilen står kvar.")

    page = manage_page(area_contact, area)

    assert "Households away" in page
    assert "Bilen står kvar." in page
    assert Household.objects.get(members__user=area_member).street_address in page


def test_officials_and_other_contacts_do_not_see_them(
    area, area_b, area_member, coordinator, police, other_area_contact
):
    notice_for(area_member, note="Bilen står kvar.")

    assert "Bilen står kvar." not in manage_page(coordinator, area)
    assert "Bilen står kvar." not in manage_page(police, area)
    assert "Bilen står kvar." not in manage_page(other_area_contact, area_b)


def test_neighbours_see_only_the_notices_meant_for_them(area, area_b, area_member, area_contact):
    notice_for(area_member, note="Till grannarna", tell_neighbours=True)
    notice_for(area_contact, note="Bara kontakterna")
    outsider = member_of(area_b)

    neighbour = household_page(member_of(area))
    own = household_page(area_member)

    assert "Till grannarna" in neighbour
    assert "Bara kontakterna" not in neighbour
    assert "Till grannarna" not in own  # one's own notice is on the away page, not here
    assert "Till grannarna" not in household_page(outsider)


def test_a_notice_disappears_after_the_return_date_and_is_purged(area, area_member, area_contact):
    notice_for(area_member, note="Till grannarna", tell_neighbours=True, length=2)
    neighbour = member_of(area)

    in_three_days = timezone.localtime() + timedelta(days=3)
    with time_machine.travel(in_three_days):
        assert "Till grannarna" not in manage_page(area_contact, area)
        assert "Till grannarna" not in household_page(neighbour)
        assert "Till grannarna" not in client_for(area_member).get(AWAY).content.decode()
        assert tasks.purge_away_notices() == 1

    assert not AwayNotice.objects.exists()


def test_the_purge_keeps_current_and_coming_notices(area_member):
    notice_for(area_member, length=0)
    notice_for(area_member, starts_in=30)

    assert away.purge_past() == 0
    assert AwayNotice.objects.count() == 2


def test_a_household_that_leaves_stops_showing_its_notice(area, area_member, area_contact):
    notice_for(area_member, note="Bilen står kvar.", tell_neighbours=True)

    household_services.leave_area(user=area_member)

    assert "Bilen står kvar." not in manage_page(area_contact, area)


def test_the_pages_take_a_constant_number_of_queries(
    area, area_member, area_contact, django_assert_max_num_queries
):
    notice_for(area_member, tell_neighbours=True)
    neighbour = client_for(member_of(area))
    contact = client_for(area_contact)
    url = reverse("watch:manage_area", args=[area.pk])
    with django_assert_max_num_queries(60) as manage_one:
        contact.get(url)
    with django_assert_max_num_queries(60) as household_one:
        neighbour.get(reverse("watch:household"))

    for _ in range(20):
        notice_for(member_of(area), tell_neighbours=True)

    with django_assert_max_num_queries(len(manage_one)):
        contact.get(url)
    with django_assert_max_num_queries(len(household_one)):
        neighbour.get(reverse("watch:household"))
