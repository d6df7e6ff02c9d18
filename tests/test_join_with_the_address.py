"""A first registration asks to join the area the home is in, in the same form ("Ask to
join the watch area my home is in", ticked): one step less for a new resident. Only where
exactly one active area covers the home, never on a change of address, and within the
join button's rate limit."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import HouseholdFactory, WatchAreaFactory, resident
from watch.households.models import Household, Membership, MembershipStatus

pytestmark = pytest.mark.django_db


def address_in(area, **changes: str) -> dict[str, str]:
    point = area.shape.representative_point()
    return {
        "street_address": "Nygatan 1",
        "postal_code": "54231",
        "town": "Mariestad",
        "latitude": f"{point.y:.6f}",
        "longitude": f"{point.x:.6f}",
        "ask_to_join": "on",
        **changes,
    }


def test_the_first_registration_asks_to_join_the_area_of_the_home(
    member, member_client, area, area_contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(reverse("watch:household_edit"), address_in(area))

    assert response.status_code == 302
    assert response["Location"] == reverse("watch:home")
    membership = Membership.objects.get(requested_by=member)
    assert (membership.area, membership.status, membership.requested_by) == (
        area,
        MembershipStatus.REQUESTED,
        member,
    )
    assert membership.household == Household.objects.get(members__user=member)
    assert [message.to for message in mail.outbox] == [[area_contact.email]]


def test_unticked_the_household_is_only_saved(
    member, member_client, area, area_contact, django_capture_on_commit_callbacks
):
    data = address_in(area)
    del data["ask_to_join"]  # an unticked box is not sent

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(reverse("watch:household_edit"), data)

    assert response["Location"] == reverse("watch:household")
    assert Household.objects.filter(members__user=member).exists()
    assert not Membership.objects.filter(requested_by=member).exists()
    assert mail.outbox == []


def test_a_change_of_address_does_not_ask(member, member_client, area, area_b):
    resident(member, HouseholdFactory.inside(area_b))

    form = member_client.get(reverse("watch:household_edit")).content.decode()
    member_client.post(reverse("watch:household_edit"), address_in(area))

    assert 'name="ask_to_join"' not in form
    assert not Membership.objects.exists()


def test_where_areas_overlap_the_resident_chooses_on_the_start_page(
    member_client, area, municipality
):
    WatchAreaFactory(municipality=municipality, name="Överlapp", boundary=area.boundary)

    response = member_client.post(reverse("watch:household_edit"), address_in(area))

    assert response["Location"] == reverse("watch:household")
    assert Household.objects.exists()
    assert not Membership.objects.exists()
    start = member_client.get(reverse("watch:home")).content.decode()
    assert "Ask to join Marieholm" in start
    assert "Ask to join Överlapp" in start


def test_outside_every_area_the_household_is_saved_without_a_request(member_client, area):
    response = member_client.post(
        reverse("watch:household_edit"),
        address_in(area, latitude="59.300000", longitude="14.100000"),
    )

    assert response["Location"] == reverse("watch:household")
    assert Household.objects.exists()
    assert not Membership.objects.exists()


def test_the_join_limit_holds_and_nothing_is_written(settings, member_client, area):
    settings.RATE_LIMITS = {"join": "0/h"}

    response = member_client.post(reverse("watch:household_edit"), address_in(area))

    assert response.status_code == 429
    assert not Household.objects.exists()
    assert not Membership.objects.exists()


def test_the_start_page_of_a_new_resident_is_the_household_form(member_client):
    start = member_client.get(reverse("watch:home")).content.decode()

    assert f'action="{reverse("watch:household_edit")}"' in start
    assert 'name="street_address"' in start
    assert re.search(r'<input type="checkbox" name="ask_to_join"[^>]* checked', start)
