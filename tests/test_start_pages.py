"""Each role's start page, the first page after logging in: what waits for them, in a
fixed number of queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import (
    HouseholdFactory,
    MeetingFactory,
    UserFactory,
    WatchAreaFactory,
    member_of,
    observation_in,
    resident,
    sent_public_alert,
)
from watch.community.models import AwayNotice
from watch.households.models import Interest, Membership, MembershipStatus
from watch.roles.models import AreaContact

pytestmark = pytest.mark.django_db

HOME = reverse("watch:home")


def page(user) -> str:
    return client_for(user).get(HOME).content.decode()


def waiting_household(area, street: str = "Väntgatan 1") -> Membership:
    user = UserFactory()
    household = HouseholdFactory.inside(area, street_address=street)
    resident(user, household)
    return Membership.objects.create(household=household, area=area, requested_by=user)


def test_visitors_get_the_public_start_page(anonymous_client, municipality):
    response = anonymous_client.get(HOME)

    assert response.templates[0].name == "watch/home.html"
    assert municipality.name in response.content.decode()
    # Not only in the header's menu, where a phone hides it.
    assert f'Already a member? <a href="{reverse("account_login")}">Log in</a>' in (
        response.content.decode()
    )


def test_the_visitors_start_page_says_how_it_works_in_three_steps(anonymous_client, member):
    visitor = anonymous_client.get(HOME).content.decode()

    steps = re.search(r'<ol class="how-it-works">(.*?)</ol>', visitor, re.S)
    assert steps is not None
    assert re.findall(r"<strong>(.*?)</strong>", steps[1]) == [
        "Find your area.",
        "Sign up and register your household.",
        "Hear what happens nearby.",
    ]
    # A member knows: their start page is their own.
    assert "how-it-works" not in page(member)


def test_a_new_resident_starts_by_registering_the_household(member):
    body = page(member)

    assert "Register your household" in body
    assert reverse("watch:household_edit") in body
    assert 'aria-current="step">Register your household' in body


def test_a_resident_whose_address_is_in_an_area_is_asked_to_join_it(member, area, police):
    resident(member, HouseholdFactory.inside(area))
    public = sent_public_alert(police, area, title="Öppen varning")
    sent_public_alert(police, area, title="Bara för medlemmar", is_public=False)

    body = page(member)

    assert f'action="{reverse("watch:join", args=[area.pk])}"' in body
    assert public.title in body
    assert "Bara för medlemmar" not in body


def test_a_waiting_resident_sees_where_they_stand(area):
    membership = waiting_household(area)

    body = page(membership.requested_by)

    assert "Waiting for Marieholm" in body
    assert 'aria-current="step">An area contact approves' in body


def test_a_resident_outside_every_area_can_register_interest(member):
    resident(member, HouseholdFactory(longitude=20.0, latitude=67.0))

    body = page(member)

    assert "No watch area covers your address yet" in body
    assert reverse("watch:interest") in body


def test_a_member_sees_messages_the_next_meeting_neighbours_away_and_the_area(
    area_member, area, police
):
    neighbour = member_of(area)
    AwayNotice.objects.create(
        household=neighbour.household_member.household,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=5),
        tell_neighbours=True,
    )
    MeetingFactory(area=area, title="Grannmöte i Marieholm")

    response = client_for(area_member).get(HOME)
    body = response.content.decode()

    assert response.templates[0].name == "watch/start_resident.html"
    assert "<h1>Marieholm</h1>" in body
    assert "Grannmöte i Marieholm" in body
    assert neighbour.household_member.household.street_address in body
    # The area's outline and the home's pin, for the map.
    assert 'id="start-outlines"' in body
    assert 'data-outlines="start-outlines"' in body


def test_a_contact_sees_the_waiting_households_and_approves_in_place(area_contact, area):
    membership = waiting_household(area, "Väntgatan 7")

    body = page(area_contact)
    assert "Väntgatan 7" in body
    assert f'action="{reverse("watch:approve", args=[membership.pk])}"' in body

    response = client_for(area_contact).post(
        reverse("watch:approve", args=[membership.pk]), {"next": HOME}
    )

    assert response.url == HOME
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED


def test_a_decision_never_returns_to_another_site(area_contact, area):
    membership = waiting_household(area)

    response = client_for(area_contact).post(
        reverse("watch:approve", args=[membership.pk]), {"next": "https://evil.example.com/"}
    )

    assert response.url == reverse("watch:manage_area", args=[area.pk])


@pytest.mark.parametrize("next_", ["abc", "0", "nan", "<script>", "watch:home", "./x", "//x"])
def test_a_next_that_is_not_a_path_of_this_site_returns_to_the_area(area_contact, area, next_):
    """``redirect()`` took a word for the name of a view: the approval was saved, then the
    contact got a 500 (NoReverseMatch)."""
    approved, declined = waiting_household(area), waiting_household(area)
    client = client_for(area_contact)

    responses = [
        client.post(reverse("watch:approve", args=[approved.pk]), {"next": next_}),
        client.post(
            reverse("watch:decline", args=[declined.pk]), {"next": next_, "reason": "Flyttat"}
        ),
    ]

    assert [response.url for response in responses] == [
        reverse("watch:manage_area", args=[area.pk])
    ] * 2
    approved.refresh_from_db()
    declined.refresh_from_db()
    assert (approved.status, declined.status) == (
        MembershipStatus.APPROVED,
        MembershipStatus.DECLINED,
    )


def test_a_contact_declines_from_the_start_page_and_comes_back_to_it(area_contact, area):
    membership = waiting_household(area)
    url = reverse("watch:decline", args=[membership.pk]) + f"?next={HOME}"

    assert f'href="{url}"' in page(area_contact)
    response = client_for(area_contact).post(url, {"reason": "Bor inte i området"})

    assert response.url == HOME
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.DECLINED


def test_officials_start_with_a_new_alert_and_what_needs_them(coordinator, municipality, area):
    WatchAreaFactory(municipality=municipality, name="Kontaktlösa")
    Interest.objects.create(
        household=HouseholdFactory(), municipality=municipality, registered_by=UserFactory()
    )

    response = client_for(coordinator).get(HOME)
    body = response.content.decode()

    assert response.templates[0].name == "watch/start_official.html"
    assert body.index(reverse("notifications:alert_create")) < body.index("Recent alerts")
    assert "Kontaktlösa" in body
    assert "1 household" in body
    assert "New observations" in body


def test_a_coordinator_reaches_the_municipality_page_to_edit_from_the_start_page(
    coordinator, police, municipality
):
    coordinators = page(coordinator)
    polices = page(police)

    edit = reverse("watch:municipality_edit", args=[municipality.slug])
    assert "Municipality pages" in coordinators
    assert f'<a href="{edit}">Edit the page' in coordinators
    assert reverse("watch:municipality", args=[municipality.slug]) in coordinators
    # The police are the page's contacts, not its editors.
    assert "Municipality pages" not in polices
    assert edit not in polices


def test_the_police_are_not_shown_observations(police, area):
    body = page(police)

    assert "New observations" not in body
    assert "observations this month" not in body


def test_an_official_sees_the_delivery_progress_of_recent_alerts(police, area):
    member_of(area)
    alert = sent_public_alert(police, area, title="Skickad varning")
    alert.deliveries.create(user=UserFactory(), area=area, channel="email", status="sent")
    alert.deliveries.create(user=UserFactory(), area=area, channel="email", status="queued")

    body = page(police)

    assert "Skickad varning" in body
    assert "1 sent, 1 waiting" in re.sub(r"<[^>]+>", "", body)


@pytest.mark.parametrize("rows", [1, 8])
def test_each_start_page_runs_a_fixed_number_of_queries(
    rows, area, area_contact, coordinator, police, django_assert_max_num_queries
):
    for n in range(rows):
        waiting_household(area, f"Väntgatan {n}")
        member_of(area)
        sent_public_alert(police, area, title=f"Varning {n}")
        WatchAreaFactory(municipality=area.municipality, name=f"Utan kontakt {n}")
    member = member_of(area)
    AreaContact.objects.filter(user=area_contact).update(is_main=True)

    # The same budget at 1 and at 8 of everything: nothing is counted row by row. A
    # member's and an official's include the police's latest events; an official's, the
    # areas not confirmed for a year and those without signs (a list and a count each).
    for user, budget in ((member, 14), (area_contact, 18), (coordinator, 23), (police, 23)):
        client = client_for(user)
        with django_assert_max_num_queries(budget):
            assert client.get(HOME).status_code == 200


def test_the_start_page_and_the_list_of_alerts_count_an_alerts_sending_alike(police, area):
    alert = sent_public_alert(police, area, title="Skickad varning")
    for status in ("sent", "sent", "skipped", "queued", "failed"):
        alert.deliveries.create(user=UserFactory(), area=area, channel="email", status=status)
    client = client_for(police)

    start = client.get(reverse("watch:home")).content.decode()
    listed = client.get(reverse("notifications:alert_list")).content.decode()

    assert "2 sent, 1 waiting, 1 failed" in re.sub(r"<[^>]+>", "", start)
    row = re.search(r"Skickad varning.*?</tr>", listed, re.S).group()
    cells = re.findall(r'data-label="(?:Status|Sent|Failed)"[^>]*>([^<]*)<', row)
    assert cells == ["Sending", "2", "1"]


@pytest.mark.parametrize("who", ["coordinator", "area_contact"])
def test_each_new_observation_leads_to_its_page_and_the_count_to_the_open_ones(
    who, request, area, area_member
):
    observation = observation_in(area, reporter=area_member)
    viewer = request.getfixturevalue(who)
    client = client_for(viewer)

    body = client.get(HOME).content.decode()

    detail = reverse("watch:observation_detail", args=[observation.pk])
    assert f'<a class="item-title" href="{detail}">' in body
    assert f'href="{reverse("watch:observation_list")}?status=open"' in body
    assert client.get(detail).status_code == 200


def test_a_member_finds_what_they_can_do_before_the_map(area_member):
    body = page(area_member)

    # The header's menu links to the report form too: the cards' places are compared.
    assert body.index('id="do"') < body.index('id="map-heading"')


def test_the_month_in_figures_says_one_in_the_singular(coordinator, area):
    observation_in(area)
    Membership.objects.create(
        household=HouseholdFactory.inside(area),
        area=area,
        status=MembershipStatus.REQUESTED,
        requested_by=UserFactory(),
    )

    figures = re.findall(
        r'<span class="stat-value">([^<]*)</span><span class="stat-label">([^<]*)</span>',
        page(coordinator),
    )

    assert figures == [
        ("0", "alerts sent this month"),
        ("0", "households joined this month"),
        ("1", "join request waiting"),
        ("1", "observation this month"),
    ]


def test_a_contact_sees_where_a_household_lives_before_approving_it(area, area_contact):
    Membership.objects.create(
        household=HouseholdFactory.inside(area),
        area=area,
        status=MembershipStatus.REQUESTED,
        requested_by=UserFactory(),
    )

    body = page(area_contact)

    assert body.index('data-points="request-points"') < body.index(">Approve</button>")
