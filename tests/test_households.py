import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import HouseholdFactory, member_of, resident
from watch.households.models import Household, HouseholdMember, Membership

pytestmark = pytest.mark.django_db

ADDRESS = {
    "street_address": "Marieholmsgatan 3",
    "postal_code": "54231",
    "town": "Mariestad",
    "longitude": "13.8345",
    "latitude": "58.7172",
}


def test_member_registers_a_household_with_a_pin(member, member_client):
    response = member_client.post(reverse("watch:household_edit"), ADDRESS)

    assert response.status_code == 302
    household = Household.objects.get()
    assert household.postal_code == "542 31"
    assert (household.longitude, household.latitude) == (13.8345, 58.7172)
    assert HouseholdMember.objects.get(user=member).household == household


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"longitude": "58.7172", "latitude": "13.8345"}, "The latitude and the longitude look"),
        ({"longitude": "nan"}, "Longitude"),
        ({"longitude": "", "latitude": ""}, "Place the pin on your home on the map, or type its"),
        ({"longitude": "13.8345", "latitude": ""}, "Give both coordinates, or neither."),
        ({"postal_code": "5423"}, "five digits"),
        ({"street_address": "x" * 201}, "at most 200 characters"),
    ],
)
def test_bad_household_input_is_rejected_and_nothing_is_saved(member_client, change, message):
    response = member_client.post(reverse("watch:household_edit"), {**ADDRESS, **change})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Household.objects.exists()


def test_moving_ends_the_membership_of_the_old_area(area):
    user = member_of(area)
    household = user.household_member.household
    from tests.conftest import client_for

    client_for(user).post(
        reverse("watch:household_edit"), {**ADDRESS, "longitude": "14.12", "latitude": "58.70"}
    )

    membership = Membership.objects.get(household=household)
    assert membership.status == "left"
    assert membership.reason == "Moved"
    household.refresh_from_db()
    assert (household.longitude, household.latitude) == (14.12, 58.70)


def test_household_page_shows_the_covering_area(area, member, member_client):
    resident(member, HouseholdFactory.inside(area))

    response = member_client.get(reverse("watch:household"))

    assert "Marieholm" in response.content.decode()
    assert reverse("watch:join", args=[area.pk]) in response.content.decode()


def test_household_page_offers_interest_where_no_area_covers(member, member_client, area):
    resident(member, HouseholdFactory(longitude=15.5, latitude=59.5))

    response = member_client.get(reverse("watch:household"))

    assert reverse("watch:interest") in response.content.decode()
    assert reverse("watch:join", args=[area.pk]) not in response.content.decode()


def test_the_household_page_says_whose_address_the_invitation_asks_for(area_member):
    page = client_for(area_member).get(reverse("watch:household")).content.decode()

    said = page.index("Does someone else live here? Give their e-mail address")
    assert said < page.index(f'action="{reverse("watch:household_invite")}"')


def test_the_address_comes_first_then_the_home_as_a_pin(member_client):
    page = member_client.get(reverse("watch:household_edit")).content.decode()

    order = [page.index(text) for text in ('id="id_town"', "Where is your home?", 'data-map="pin"')]
    assert order == sorted(order)
    folded = page.split('<details class="advanced">')[1].split("</details>")[0]
    assert 'id="id_latitude"' in folded
    assert 'id="id_longitude"' in folded
    assert "Put the pin on your home" in page


def test_a_household_without_a_pin_opens_its_coordinates_with_the_error(member_client):
    response = member_client.post(
        reverse("watch:household_edit"), {**ADDRESS, "longitude": "", "latitude": ""}
    )

    page = response.content.decode()
    assert '<details class="advanced" open>' in page
    assert "Place the pin on your home on the map, or type its coordinates." in page
    assert not Household.objects.exists()
