"""Who sees a member's phone, e-mail and address: area contacts always, neighbours by choice."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import HouseholdFactory, UserFactory, member_of, resident
from watch.households.models import HouseholdMember, Membership, MembershipStatus

pytestmark = pytest.mark.django_db

HOUSEHOLD = reverse("watch:household")
SHARING = reverse("watch:household_sharing")


@pytest.fixture
def sharing(area):
    user = member_of(area, full_name="Siv Delar", email="siv@example.org", phone="+46701740640")
    HouseholdMember.objects.filter(user=user).update(share_contact_details=True)
    return user


@pytest.fixture
def private(area):
    return member_of(area, full_name="Pia Privat", email="pia@example.org", phone="+46701740641")


def address_of(user) -> str:
    return HouseholdMember.objects.get(user=user).household.street_address


def details(user) -> list[str]:
    return [user.email, user.phone_display, address_of(user)]


def household_page(user) -> str:
    response = client_for(user).get(HOUSEHOLD)
    assert response.status_code == 200
    return response.content.decode()


def test_sharing_is_off_by_default(area_member):
    assert not HouseholdMember.objects.get(user=area_member).share_contact_details


def test_a_member_turns_sharing_on_and_off(area_member):
    client = client_for(area_member)

    client.post(SHARING, {"share_contact_details": "on"})
    assert HouseholdMember.objects.get(user=area_member).share_contact_details
    assert 'id="id_share_contact_details" checked' in client.get(HOUSEHOLD).content.decode()

    client.post(SHARING, {})
    assert not HouseholdMember.objects.get(user=area_member).share_contact_details


def test_sharing_needs_a_household(member):
    response = client_for(member).post(SHARING, {"share_contact_details": "on"}, follow=True)

    assert "Register your household first." in response.content.decode()
    assert not HouseholdMember.objects.exists()


def test_a_neighbour_sees_who_shares_and_only_counts_the_others(area_member, sharing, private):
    page = household_page(area_member)

    assert "Siv Delar" in page
    assert all(detail in page for detail in details(sharing))
    assert "Pia Privat" not in page
    assert not any(detail in page for detail in details(private))
    assert "One other household in the area has not shared" in page


def test_a_household_mate_who_shares_does_not_make_the_others_visible(area, area_member):
    mate_of_siv = member_of(area, full_name="Siv Delar", email="siv@example.org")
    household = HouseholdMember.objects.get(user=mate_of_siv).household
    HouseholdMember.objects.filter(user=mate_of_siv).update(share_contact_details=True)
    resident(UserFactory(full_name="Sune Tyst", email="sune@example.org"), household)

    page = household_page(area_member)

    assert "Siv Delar" in page
    assert "Sune Tyst" not in page
    assert "sune@example.org" not in page


def test_members_of_another_area_see_nothing(other_area_contact, sharing, private):
    page = household_page(other_area_contact)

    for user in (sharing, private):
        assert user.full_name not in page
        assert not any(detail in page for detail in details(user))


def test_a_household_still_asking_to_join_sees_no_neighbours(area, sharing):
    applicant = UserFactory(full_name="Sam Sökande")
    household = HouseholdFactory.inside(area)
    resident(applicant, household)
    Membership.objects.create(household=household, area=area, requested_by=applicant)

    page = household_page(applicant)

    assert "Siv Delar" not in page
    assert "siv@example.org" not in page


def test_a_removed_sharer_disappears_from_the_neighbours(area_member, sharing):
    Membership.objects.filter(household__members__user=sharing).update(
        status=MembershipStatus.REMOVED
    )

    assert "Siv Delar" not in household_page(area_member)


@pytest.mark.parametrize("role", ["area_contact", "coordinator", "police", "admin_user"])
def test_the_areas_managers_see_every_members_details(request, role, area, private):
    manager = request.getfixturevalue(role)

    page = client_for(manager).get(reverse("watch:manage_area", args=[area.pk]))

    body = page.content.decode()
    assert page.status_code == 200
    assert all(detail in body for detail in details(private))


def test_the_printed_list_shows_only_what_members_share(area_contact, area, sharing, private):
    page = client_for(area_contact).get(reverse("watch:members_print", args=[area.pk]))

    body = page.content.decode()
    assert all(detail in body for detail in details(sharing))
    assert not any(detail in body for detail in details(private))


def test_the_household_page_runs_a_constant_number_of_queries(area, area_member):
    client = client_for(area_member)
    client.get(HOUSEHOLD)  # a process's first lookup builds the index of areas (one query)

    def queries_with_neighbours(count: int) -> int:
        for n in range(count):
            neighbour = member_of(area, full_name=f"Granne {count}-{n}")
            HouseholdMember.objects.filter(user=neighbour).update(share_contact_details=n % 2 == 0)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(HOUSEHOLD)
        assert page.content.decode().count(f"Granne {count}-") == (count + 1) // 2
        return len(queries)

    assert queries_with_neighbours(1) == queries_with_neighbours(20)
