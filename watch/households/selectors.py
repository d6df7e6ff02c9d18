"""Reads of households and memberships shared by views, services and tasks."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import User
from watch.areas.models import Municipality, WatchArea
from watch.households.models import (
    Household,
    HouseholdMember,
    Interest,
    Membership,
    MembershipStatus,
    household_label,
)


def household_of(user: User) -> Household | None:
    return Household.objects.filter(members__user=user).first()


def current_membership(household: Household) -> Membership | None:
    """The household's open membership (approved or requested), if any."""
    return (
        household.memberships.filter(
            status__in=[MembershipStatus.APPROVED, MembershipStatus.REQUESTED]
        )
        .select_related("area__municipality")
        .first()
    )


def area_members(area: WatchArea) -> QuerySet[HouseholdMember]:
    """Members of the area's approved households, with their households, in address order."""
    return (
        HouseholdMember.objects.filter(
            household__memberships__area=area,
            household__memberships__status=MembershipStatus.APPROVED,
        )
        .select_related("user", "household")
        .order_by("household__street_address", "user__full_name")
    )


def area_households(area: WatchArea) -> QuerySet[Membership]:
    """The area's approved memberships in address order, with households and their members
    (``household.member_list``)."""
    return (
        area.memberships.filter(status=MembershipStatus.APPROVED)
        .select_related("household")
        # The list shows addresses, names and contact details: not the households'
        # other columns, nor the members' passwords and settings.
        .only(
            "area",
            "household",
            "household__street_address",
            "household__postal_code",
            "household__town",
        )
        .prefetch_related(
            Prefetch(
                "household__members",
                queryset=HouseholdMember.objects.select_related("user")
                .only("household", "user", "user__full_name", "user__email", "user__phone")
                .order_by("user__full_name"),
                # A list, not a queryset per household: Django builds one for each
                # household otherwise, a third of this query's time.
                to_attr="member_list",
            )
        )
        .order_by("household__street_address", "pk")
    )


def household_points(area: WatchArea) -> list[dict[str, object]]:
    """Where the area's member households are, as the map's markers: position and label
    (the household's name). Rows, not models: a model per household was half the
    cost of an area's page of 200 households' markers."""
    rows = Household.objects.filter(
        memberships__area=area, memberships__status=MembershipStatus.APPROVED
    ).values_list("street_address", "town", "longitude", "latitude")
    return [
        {"lon": longitude, "lat": latitude, "label": household_label(street_address, town)}
        for street_address, town, longitude, latitude in rows
    ]


def pending_requests(area: WatchArea) -> QuerySet[Membership]:
    return (
        area.memberships.filter(status=MembershipStatus.REQUESTED)
        .select_related("household", "requested_by")
        .order_by("requested_at")
    )


def areas_with_counts(filter_q: Q) -> QuerySet[WatchArea]:
    """Areas with the number of households, members and pending requests, in one query."""
    approved = Q(memberships__status=MembershipStatus.APPROVED)
    return (
        WatchArea.objects.filter(filter_q)
        .select_related("municipality")
        .annotate(
            household_count=Count("memberships", filter=approved, distinct=True),
            member_count=Count("memberships__household__members", filter=approved, distinct=True),
            pending_count=Count(
                "memberships",
                filter=Q(memberships__status=MembershipStatus.REQUESTED),
                distinct=True,
            ),
        )
    )


def sharing_neighbours(household: Household, area: WatchArea) -> QuerySet[HouseholdMember]:
    """Members of the area's other approved households who share their contact details."""
    return area_members(area).filter(share_contact_details=True).exclude(household=household)


def private_neighbour_households(household: Household, area: WatchArea) -> int:
    """How many of the area's other approved households show nobody's details."""
    return (
        area.memberships.filter(status=MembershipStatus.APPROVED)
        .exclude(household=household)
        .exclude(household__members__share_contact_details=True)
        .count()
    )


def interest_of(household: Household) -> Interest | None:
    return Interest.objects.filter(household=household).first()


def interest_in(municipalities: Q) -> QuerySet[Interest]:
    """Households waiting for an area in the municipalities matching ``municipalities``
    (a filter on Municipality), newest first."""
    return (
        Interest.objects.filter(municipality__in=Municipality.objects.filter(municipalities))
        .select_related("household", "municipality", "registered_by")
        .order_by("-created_at")
    )
