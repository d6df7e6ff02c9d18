from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import HouseholdFactory, UserFactory, WatchAreaFactory, member_of, resident
from watch.audit.models import AuditEntry
from watch.households.models import Membership, MembershipStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(member, area):
    resident(member, HouseholdFactory.inside(area, street_address="Sjögatan 1"))
    return member


def test_request_to_join_is_recorded_and_the_contacts_are_told(
    applicant, member_client, area, area_contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(reverse("watch:join", args=[area.pk]))

    assert response.status_code == 302
    membership = Membership.objects.get(household__members__user=applicant)
    assert membership.status == "requested"
    assert membership.area == area
    assert [m.to for m in mail.outbox] == [[area_contact.email]]
    assert "Marieholm" in mail.outbox[0].subject


def test_a_second_request_is_refused_and_creates_nothing(applicant, member_client, area):
    member_client.post(reverse("watch:join", args=[area.pk]))

    response = member_client.post(reverse("watch:join", args=[area.pk]), follow=True)

    assert "already asked to join" in response.content.decode()
    assert Membership.objects.count() == 1


def test_cannot_join_an_area_that_does_not_cover_the_address(applicant, member_client, area_b):
    response = member_client.post(reverse("watch:join", args=[area_b.pk]), follow=True)

    assert "outside this area" in response.content.decode()
    assert not Membership.objects.exists()


def test_cannot_join_a_paused_area(applicant, member_client, area):
    area.status = "paused"
    area.save()

    response = member_client.post(reverse("watch:join", args=[area.pk]))

    assert response.status_code == 404
    assert not Membership.objects.exists()


def test_contact_approves_and_the_household_is_told(
    applicant, member_client, area, area_contact, django_capture_on_commit_callbacks
):
    member_client.post(reverse("watch:join", args=[area.pk]))
    membership = Membership.objects.get(status="requested")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(area_contact).post(reverse("watch:approve", args=[membership.pk]))

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "approved"
    assert membership.decided_by == area_contact
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    assert AuditEntry.objects.filter(action="request_approved", actor=area_contact).exists()
    page = member_client.get(reverse("watch:household")).content.decode()
    assert "Member" in page


def test_contact_declines_with_a_reason_that_reaches_the_household(
    applicant, member_client, area, area_contact, django_capture_on_commit_callbacks
):
    member_client.post(reverse("watch:join", args=[area.pk]))
    membership = Membership.objects.get(status="requested")

    with django_capture_on_commit_callbacks(execute=True):
        client_for(area_contact).post(
            reverse("watch:decline", args=[membership.pk]), {"reason": "Not in our street"}
        )

    membership.refresh_from_db()
    assert membership.status == "declined"
    assert membership.reason == "Not in our street"
    assert "Not in our street" in mail.outbox[0].body


def test_the_decline_page_names_who_asked_says_the_reason_is_optional_and_the_household_after(
    applicant, member_client, area, area_contact
):
    member_client.post(reverse("watch:join", args=[area.pk]))
    membership = Membership.objects.select_related("household").get(status="requested")
    contact = client_for(area_contact)
    url = reverse("watch:decline", args=[membership.pk])

    page = contact.get(url).content.decode()
    response = contact.post(url, {"reason": ""}, follow=True)

    assert f"Asked by {applicant.full_name}" in page
    assert "Reason (optional)" in page
    done = response.content.decode()
    assert f"Done. {membership.household.street_address}" in done
    assert "has been told by e-mail." in done


def test_approving_a_request_of_another_area_by_editing_the_url_is_a_404(
    applicant, member_client, area, other_area_contact
):
    member_client.post(reverse("watch:join", args=[area.pk]))
    membership = Membership.objects.get(status="requested")

    response = client_for(other_area_contact).post(reverse("watch:approve", args=[membership.pk]))

    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.status == "requested"
    assert not AuditEntry.objects.exists()


def test_a_request_already_decided_cannot_be_decided_again(
    applicant, member_client, area, area_contact
):
    member_client.post(reverse("watch:join", args=[area.pk]))
    membership = Membership.objects.get(status="requested")
    contact = client_for(area_contact)
    contact.post(reverse("watch:approve", args=[membership.pk]))

    response = contact.post(reverse("watch:decline", args=[membership.pk]), {"reason": "x"})

    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.status == "approved"


def test_leaving_asks_first_and_says_what_it_means(area, area_member):
    client = client_for(area_member)

    household = client.get(reverse("watch:household")).content.decode()
    page = client.get(reverse("watch:leave")).content.decode()

    # The household page links to the question; it holds no form that leaves at once.
    assert f'<a href="{reverse("watch:leave")}">Leave the area</a>' in household
    assert f'action="{reverse("watch:leave")}"' not in household
    assert f"Leave {area.name}?" in page
    assert "stops getting the area's alerts" in page
    assert Membership.objects.get(household__members__user=area_member).status == "approved"


def test_a_member_without_an_area_is_sent_to_their_household(member):
    response = client_for(member).get(reverse("watch:leave"))

    assert response.url == reverse("watch:household")


def test_member_leaves(area, area_member):
    client_for(area_member).post(reverse("watch:leave"))

    membership = Membership.objects.get(household__members__user=area_member)
    assert membership.status == "left"
    assert membership.ended_by == area_member


def test_contact_removes_a_household_with_a_reason(area, area_member, area_contact):
    membership = Membership.objects.get(household__members__user=area_member)

    client_for(area_contact).post(
        reverse("watch:remove", args=[membership.pk]), {"reason": "Moved away"}
    )

    membership.refresh_from_db()
    assert membership.status == "removed"
    assert membership.ended_by == area_contact
    assert AuditEntry.objects.filter(action="household_removed").count() == 1


def test_removal_needs_a_reason(area, area_member, area_contact):
    membership = Membership.objects.get(household__members__user=area_member)

    response = client_for(area_contact).post(
        reverse("watch:remove", args=[membership.pk]), {"reason": ""}
    )

    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.status == "approved"


def test_locate_picks_the_area_even_on_its_edge(member, member_client, municipality):
    area = WatchAreaFactory(municipality=municipality)
    resident(member, HouseholdFactory(longitude=area.min_lon, latitude=area.min_lat + 0.001))

    member_client.post(reverse("watch:join", args=[area.pk]))

    assert Membership.objects.get().area == area


def test_the_area_page_lists_requests_oldest_first_apart_from_the_households(area, area_contact):
    member_of(area, full_name="Redan Medlem")
    newer, older = UserFactory(full_name="Nyare Sökande"), UserFactory(full_name="Äldre Sökande")
    for user, street, days_ago in [(newer, "Sjögatan 1", 1), (older, "Torget 2", 3)]:
        household = HouseholdFactory.inside(area, street_address=street)
        resident(user, household)
        Membership.objects.create(
            household=household,
            area=area,
            requested_by=user,
            requested_at=timezone.now() - timedelta(days=days_ago),
        )
    older.delete()  # the request stays; its requester's name goes with the account

    page = client_for(area_contact).get(reverse("watch:manage_area", args=[area.pk]))

    html = page.content.decode()
    pending, households = html.split("Pending requests")[1].split('id="households-heading"')
    assert pending.index("Torget 2") < pending.index("Sjögatan 1")
    assert "Nyare Sökande" in pending
    assert "Äldre Sökande" not in html
    requested = Membership.objects.filter(status=MembershipStatus.REQUESTED)
    assert len(requested) == 2
    for membership in requested:
        assert reverse("watch:approve", args=[membership.pk]) in pending
    assert "Sjögatan 1" not in households
    assert "Torget 2" not in households
    assert "Redan Medlem" in households
