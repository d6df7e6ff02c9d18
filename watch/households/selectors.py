"""Reads of households and memberships shared by views, services and tasks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q, QuerySet

from accounts.models import User
from accounts.phone import format_for_display
from watch.areas.models import Municipality, WatchArea
from watch.households.models import (
    Household,
    HouseholdMember,
    Interest,
    Membership,
    MembershipStatus,
    household_label,
)
from watch.rows import TemplateRow
from watch.shortcuts import pk_url


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
        .order_by("household__address_order", "user__full_name")
    )


@dataclass
class AreaHousehold(TemplateRow):
    """An approved household of an area as the area's page shows it: a marker on the map
    and, on the page of the list that is shown, a row with its ``members``."""

    membership_id: int
    household_id: int
    street_address: str
    postal_code: str
    town: str
    longitude: float
    latitude: float
    # Its record on paper, if it has no login (watch.paper): the area's page links to it
    # and names its residents from it.
    paper_id: int | None
    paper_names: str | None
    members: list[AreaMember] = field(default_factory=list)

    def __str__(self) -> str:
        return household_label(self.street_address, self.town)

    @property
    def remove_url(self) -> str:
        return pk_url("watch:remove", self.membership_id)


@dataclass(frozen=True)
class AreaMember(TemplateRow):
    """A member as the area's list shows them: name and contact details."""

    full_name: str
    email: str
    phone: str

    @property
    def phone_display(self) -> str:
        return format_for_display(self.phone)


def area_households(area: WatchArea) -> list[AreaHousehold]:
    """The area's approved households in address order: every one, as the map shows
    them, in one query of plain rows. The list pages through the same rows (no count,
    no query of its own) and ``add_members`` fills in the page shown: at 200
    households a model per row, a count and a page query took twice as long. Each row
    says whether the household is on paper, and with whose names: the page asks for
    the area's paper households only when there are any.

    Written in SQL, as the inbox's lines are: the ORM took 0.95 ms of CPU to build and
    read it on every area page, SQL 0.3 (docs/performance.md, "a seventh round").
    tests/test_area_households.py holds it to the models."""
    with connection.cursor() as cursor:
        cursor.execute(_AREA_HOUSEHOLDS, [area.pk, MembershipStatus.APPROVED])
        return [AreaHousehold(*row) for row in cursor.fetchall()]


_AREA_HOUSEHOLDS = """
SELECT membership.id, membership.household_id, household.street_address,
    household.postal_code, household.town, household.longitude, household.latitude,
    paper.id, paper.names
FROM watch_membership AS membership
    JOIN watch_household AS household ON household.id = membership.household_id
    LEFT JOIN watch_paperhousehold AS paper ON paper.household_id = household.id
WHERE membership.area_id = %s AND membership.status = %s
ORDER BY household.address_order, membership.id
"""


def add_members(households: Iterable[AreaHousehold]) -> None:
    """Their members in name order, in one query of plain rows: names and contact
    details, not the members' passwords and settings (a model pair per member took
    longer than the query). In SQL, as ``area_households`` is: 0.6 ms through the ORM,
    0.15 so."""
    by_id = {household.household_id: household for household in households}
    if not by_id:
        return
    # Only placeholders are joined into the text: one per household of the page.
    in_households = ", ".join(["%s"] * len(by_id))
    with connection.cursor() as cursor:
        cursor.execute(_AREA_MEMBERS.format(households=in_households), list(by_id))
        for household_id, *details in cursor.fetchall():
            by_id[household_id].members.append(AreaMember(*details))


_AREA_MEMBERS = """
SELECT member.household_id, member_user.full_name, member_user.email, member_user.phone
FROM watch_householdmember AS member
    JOIN accounts_user AS member_user ON member_user.id = member.user_id
WHERE member.household_id IN ({households})
ORDER BY member_user.full_name, member.id
"""


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
