import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import HouseholdFactory, UserFactory, resident
from watch.audit.models import AuditEntry
from watch.households import invitations as household_invitations
from watch.households.models import HouseholdMember, Membership

pytestmark = pytest.mark.django_db


def invitation_path(message) -> str:
    return re.search(r"/invitations/[^/\s]+/", message.body).group()


def test_a_member_invites_someone_into_their_household(
    member, member_client, area, django_capture_on_commit_callbacks
):
    household = HouseholdFactory.inside(area)
    resident(member, household)
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(reverse("watch:household_invite"), {"email": "Partner@Example.org"})
    partner = UserFactory(email="partner@example.org")

    client_for(partner).post(invitation_path(mail.outbox[0]))

    assert HouseholdMember.objects.get(user=partner).household == household


def test_an_area_contact_invites_a_household_which_is_approved_on_accepting(
    area, area_contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(area_contact).post(
            reverse("watch:area_invite", args=[area.pk]), {"email": "ny@example.org"}
        )
    newcomer = UserFactory(email="ny@example.org")
    resident(newcomer, HouseholdFactory.inside(area))

    client_for(newcomer).post(invitation_path(mail.outbox[0]))

    membership = Membership.objects.get(household__members__user=newcomer)
    assert (membership.status, membership.decided_by) == ("approved", area_contact)
    assert AuditEntry.objects.filter(action="household_invited", actor=area_contact).exists()


def test_an_invitation_for_another_address_is_refused(
    member, member_client, area, django_capture_on_commit_callbacks
):
    resident(member, HouseholdFactory.inside(area))
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(reverse("watch:household_invite"), {"email": "partner@example.org"})
    stranger = UserFactory(email="stranger@example.org")

    response = client_for(stranger).post(invitation_path(mail.outbox[0]), follow=True)

    assert "sent to another e-mail address" in response.content.decode()
    assert not HouseholdMember.objects.filter(user=stranger).exists()


def test_a_forged_invitation_is_refused(member_client):
    response = member_client.get(reverse("watch:invitation", args=["eyJmb3JnZWQiOnRydWV9:abc:def"]))

    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_an_expired_invitation_is_refused(member, area):
    household = HouseholdFactory.inside(area)
    resident(member, household)
    with time_machine.travel(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)):
        token = household_invitations._invitation_token(
            household_invitations.Invitation(
                "household", household.pk, "late@example.org", member.pk
            )
        )
    late = UserFactory(email="late@example.org")

    response = client_for(late).post(reverse("watch:invitation", args=[token]))

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not HouseholdMember.objects.filter(user=late).exists()
