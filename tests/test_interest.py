import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import HouseholdFactory, resident
from watch.households.models import Interest

pytestmark = pytest.mark.django_db


def test_a_resident_outside_every_area_registers_interest(member, member_client, municipality):
    resident(member, HouseholdFactory(longitude=15.5, latitude=59.5))

    member_client.post(
        reverse("watch:interest"), {"municipality": municipality.pk, "may_contact": "on"}
    )

    interest = Interest.objects.get()
    assert (interest.municipality, interest.may_contact, interest.registered_by) == (
        municipality,
        True,
        member,
    )


def test_interest_is_refused_where_an_area_already_covers(member, member_client, area):
    resident(member, HouseholdFactory.inside(area))

    response = member_client.post(
        reverse("watch:interest"), {"municipality": area.municipality.pk}, follow=True
    )

    assert "ask to join it instead" in response.content.decode()
    assert not Interest.objects.exists()


def test_the_coordinator_sees_interest_but_contact_details_only_with_consent(
    coordinator, municipality, member, area_member
):
    resident(member, HouseholdFactory(street_address="Ödevägen 1", longitude=15.5, latitude=59.5))
    Interest.objects.create(
        household=member.household_member.household,
        registered_by=member,
        municipality=municipality,
        may_contact=False,
    )

    page = client_for(coordinator).get(reverse("watch:interest_map")).content.decode()

    assert "542 30 Mariestad" in page
    assert "Ödevägen 1" not in page
    assert member.email not in page


def test_coordinators_of_other_municipalities_do_not_see_it(
    other_coordinator, municipality, member
):
    resident(member, HouseholdFactory(longitude=15.5, latitude=59.5))
    Interest.objects.create(
        household=member.household_member.household, registered_by=member, municipality=municipality
    )

    page = client_for(other_coordinator).get(reverse("watch:interest_map")).content.decode()

    assert "542 30" not in page
