"""The area's page lists join requests, meetings ahead and households away, and asks the
database for a list only when the area has one: one statement (``area_sections``, in SQL)
says which it has, and it says what the lists' own selectors would."""

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
from watch.community import away, meetings
from watch.community.models import AwayNotice
from watch.dashboards.selectors import AreaSections, area_sections
from watch.households import selectors as household_selectors
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


def a_request(area: WatchArea, status: str = MembershipStatus.REQUESTED) -> str:
    user = UserFactory(full_name="Sam Sökande")
    household = HouseholdFactory.inside(area, street_address="Sökvägen 4")
    resident(user, household)
    Membership.objects.create(household=household, area=area, status=status, requested_by=user)
    return "Sökvägen 4"


def a_meeting(area: WatchArea, *, ends_in: timedelta | None = None, **fields: object) -> str:
    meeting = MeetingFactory(area=area, title="Höstmöte", **fields)
    if ends_in is not None:
        meeting.ends_at = timezone.now() + ends_in
        meeting.starts_at = meeting.ends_at - timedelta(hours=2)
        meeting.save()
    return "Höstmöte"


def an_away_notice(
    area: WatchArea,
    *,
    ends_in: int = 7,
    status: str = MembershipStatus.APPROVED,
    also: tuple[WatchArea, str] | None = None,
) -> str:
    """A notice of a household of ``area`` (its membership in ``status``), and ``also``
    a membership in another area: a household that moved from one area to another."""
    user = member_of(area)
    household = Household.objects.get(members__user=user)
    household.memberships.update(status=status)
    if also is not None:
        Membership.objects.create(household=household, area=also[0], status=also[1])
    today = timezone.localdate()
    AwayNotice.objects.create(
        household=household,
        starts_on=today + timedelta(days=min(ends_in, 0) - 1),
        ends_on=today + timedelta(days=ends_in),
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
    # Its list, and nothing more: a new approved household is one more row of the
    # households' statement, not a statement of its own.
    assert more == statements + 1
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


NONE = AreaSections(False, False, False)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda here, elsewhere: None, NONE),
        (lambda here, elsewhere: a_request(here), AreaSections(True, False, False)),
        (lambda here, elsewhere: a_request(elsewhere), NONE),
        (lambda here, elsewhere: a_request(here, MembershipStatus.APPROVED), NONE),
        (lambda here, elsewhere: a_request(here, MembershipStatus.DECLINED), NONE),
        (lambda here, elsewhere: a_meeting(here), AreaSections(False, True, False)),
        (
            lambda here, elsewhere: a_meeting(here, cancelled=True),
            AreaSections(False, True, False),
        ),
        (
            lambda here, elsewhere: a_meeting(here, ends_in=timedelta(minutes=5)),
            AreaSections(False, True, False),
        ),
        (lambda here, elsewhere: a_meeting(here, ends_in=-timedelta(minutes=5)), NONE),
        (lambda here, elsewhere: a_meeting(elsewhere), NONE),
        (lambda here, elsewhere: an_away_notice(here), AreaSections(False, False, True)),
        (
            lambda here, elsewhere: an_away_notice(here, ends_in=0),
            AreaSections(False, False, True),
        ),
        (lambda here, elsewhere: an_away_notice(here, ends_in=-1), NONE),
        (
            lambda here, elsewhere: an_away_notice(here, status=MembershipStatus.REQUESTED),
            AreaSections(True, False, False),
        ),
        (lambda here, elsewhere: an_away_notice(here, status=MembershipStatus.LEFT), NONE),
        (lambda here, elsewhere: an_away_notice(here, status=MembershipStatus.REMOVED), NONE),
        # Gone from this area, approved in the other: the area and the status must be
        # those of one membership.
        (
            lambda here, elsewhere: an_away_notice(
                here, status=MembershipStatus.LEFT, also=(elsewhere, MembershipStatus.APPROVED)
            ),
            NONE,
        ),
        (
            lambda here, elsewhere: an_away_notice(
                elsewhere, status=MembershipStatus.LEFT, also=(here, MembershipStatus.APPROVED)
            ),
            AreaSections(False, False, True),
        ),
        (lambda here, elsewhere: an_away_notice(elsewhere), NONE),
    ],
)
def test_the_statement_says_what_the_lists_would_show(area, area_b, make, expected):
    make(area, area_b)
    assert area_sections(area) == expected
    assert expected == AreaSections(
        household_selectors.pending_requests(area).exists(),
        meetings.upcoming(area).exists(),
        away.area_notices(area).exists(),
    )


def test_each_household_has_its_remove_link(area_contact, area):
    member_of(area)
    html, _ = page(area_contact, area)
    table = html.split('<tbody role="rowgroup">')[-1].split("</tbody>")[0]
    # A button, named with its household for a screen reader among many "Remove"s.
    links = [
        f'<a class="button secondary" href="{reverse("watch:remove", args=[membership.pk])}">'
        f'Remove<span class="visually-hidden"> {membership.household.street_address}</span></a>'
        for membership in Membership.objects.filter(area=area, status=MembershipStatus.APPROVED)
    ]
    assert len(links) >= 2
    assert all(link in table for link in links)
    assert table.count(">Remove<") == len(links)


def test_a_contact_can_tap_to_mail_or_call_each_member(area_contact, area):
    member_of(area, full_name="Mats Berg", email="mats.berg@example.org", phone="+46701740607")
    html, _ = page(area_contact, area)

    assert '<a href="mailto:mats.berg@example.org" class="wrap-anywhere">' in html
    assert '<a href="tel:+46701740607">+46 70 174 06 07</a>' in html
    # The invitation is at the page's foot; the first of the actions at its head leads
    # there (a CSV download came first).
    actions = html.split('<p class="actions">')[1].split("</p>")[0]
    assert actions.strip().startswith(
        '<a class="button" href="#invite-heading">Invite a household</a>'
    )
    assert '<h2 id="invite-heading" tabindex="-1">Invite a household</h2>' in html
