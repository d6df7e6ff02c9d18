"""The area page's households and their members, read in SQL, are what the models say:
the area's approved households in address order, each with its record on paper, and the
members of a page of them in name order."""

from __future__ import annotations

from dataclasses import astuple

import pytest

from tests.factories import HouseholdFactory, UserFactory, on_paper, resident
from watch.households import selectors
from watch.households.models import HouseholdMember, Membership, MembershipStatus

pytestmark = pytest.mark.django_db


def household_at(area, street: str, *names: str, status: str = MembershipStatus.APPROVED):
    household = HouseholdFactory.inside(area, street_address=street)
    for name in names:
        resident(UserFactory(full_name=name), household)
    Membership.objects.create(household=household, area=area, status=status)
    return household


@pytest.fixture
def mixed_area(area, area_b):
    """Households of every sort the area's list must keep or leave out."""
    household_at(area, "Vallgränd 2", "Örjan Öst")
    # A second member, whose name comes first, and a phone number.
    allegatan = household_at(area, "Allégatan 9", "Bo Berg")
    resident(UserFactory(full_name="Alva Berg", phone="+46701740650"), allegatan)
    # Two households at one address: the membership's key decides between them, not the
    # household's (Cia's household is the older, Ada's membership).
    cia = HouseholdFactory.inside(area, street_address="Kyrkogatan 1")
    ada = HouseholdFactory.inside(area, street_address="Kyrkogatan 1")
    for household, name in [(ada, "Ada Andersson"), (cia, "Cia Carlsson")]:
        resident(UserFactory(full_name=name), household)
        Membership.objects.create(household=household, area=area, status=MembershipStatus.APPROVED)
    # Two members of one name: the older membership of the household first, not the
    # older account.
    vallgrand = household_at(area, "Vallgränd 5")
    first, second = UserFactory(full_name="Kim Berg"), UserFactory(full_name="Kim Berg")
    resident(second, vallgrand)
    resident(first, vallgrand)
    on_paper(area, names="Zoë Nowak")
    for status in (MembershipStatus.REQUESTED, MembershipStatus.LEFT, MembershipStatus.REMOVED):
        household_at(area, f"Gamla vägen {status}", "Ej Med", status=status)
    household_at(area_b, "Annangatan 1", "Någon Annanstans")
    return area


def test_the_households_are_the_approved_ones_in_address_order(mixed_area):
    expected = [
        (
            membership.pk,
            membership.household_id,
            membership.household.street_address,
            membership.household.postal_code,
            membership.household.town,
            membership.household.longitude,
            membership.household.latitude,
            getattr(membership.household, "paper", None) and membership.household.paper.pk,
            getattr(membership.household, "paper", None) and membership.household.paper.names,
        )
        for membership in Membership.objects.filter(
            area=mixed_area, status=MembershipStatus.APPROVED
        )
        .select_related("household__paper")
        .order_by("household__address_order", "pk")
    ]

    households = selectors.area_households(mixed_area)

    assert [astuple(household)[:9] for household in households] == expected
    assert len(households) == 6  # five with members and the paper one
    [paper] = [household for household in households if household.paper_id]
    assert paper.paper_names == "Zoë Nowak"
    same_address = [h for h in households if h.street_address == "Kyrkogatan 1"]
    assert same_address[0].household_id > same_address[1].household_id  # Ada's, then Cia's


def test_members_are_added_to_the_page_shown_only_in_name_order(mixed_area):
    households = selectors.area_households(mixed_area)
    shown = [h for h in households if h.street_address != "Vallgränd 2"]
    not_shown = [h for h in households if h.street_address == "Vallgränd 2"]

    selectors.add_members(shown)

    for household in shown:
        expected = [
            (member.user.full_name, member.user.email, member.user.phone)
            for member in HouseholdMember.objects.filter(household_id=household.household_id)
            .select_related("user")
            .order_by("user__full_name", "pk")
        ]
        assert [astuple(member) for member in household.members] == expected
    assert all(household.members == [] for household in not_shown)
    [allegatan] = [h for h in households if h.street_address == "Allégatan 9"]
    assert [member.full_name for member in allegatan.members] == ["Alva Berg", "Bo Berg"]
    assert allegatan.members[0].phone == "+46701740650"
    [vallgrand] = [h for h in households if h.street_address == "Vallgränd 5"]
    assert [member.full_name for member in vallgrand.members] == ["Kim Berg", "Kim Berg"]


def test_an_empty_page_asks_for_no_members(django_assert_num_queries):
    with django_assert_num_queries(0):
        selectors.add_members([])
