"""A newcomer's inbox: what the area was told in the last 90 days, without counting in
the alerts' delivery reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.alerts import selectors
from notifications.alerts.models import Delivery
from notifications.inbox.selectors import inbox, message_counts
from tests.factories import HouseholdFactory, UserFactory, member_of, resident, sent_public_alert
from watch.households import invitations, services
from watch.households.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(area):
    user = UserFactory()
    household = HouseholdFactory.inside(area)
    resident(user, household)
    return Membership.objects.create(household=household, area=area, requested_by=user)


def test_an_approved_household_gets_the_areas_alerts_of_the_last_90_days(
    newcomer, area, area_b, area_contact, police
):
    recent = sent_public_alert(police, area, title="Nyss", is_public=False)
    old = sent_public_alert(police, area, title="Gammal")
    old.sent_at = timezone.now() - timedelta(days=91)
    old.save()
    sent_public_alert(police, area_b, title="Annat område")

    services.approve_request(actor=area_contact, membership=newcomer)

    user = newcomer.requested_by
    assert [entry.alert.title for entry in inbox(user.pk)] == ["Nyss"]
    entry = Delivery.objects.get(user=user)
    assert (entry.joined_later, entry.read_at, entry.created_at) == (True, None, recent.sent_at)
    assert message_counts(user.pk, user.email).unread == 1


def test_the_catch_up_is_not_counted_as_a_delivery_of_the_alert(
    newcomer, area_contact, police, area
):
    alert = sent_public_alert(police, area)

    services.approve_request(actor=area_contact, membership=newcomer)

    report = selectors.report(alert)
    assert all(count == 0 for _label, counts in report["by_status"] for count in counts)
    assert (report["members"], report["reached"]) == (0, 0)
    [listed] = selectors.recent_with_progress(police, 5)
    assert (listed.sent_count, listed.waiting_count, listed.failed_count) == (0, 0, 0)


def test_someone_who_already_has_the_alert_keeps_their_entry(area, area_contact, police):
    alert = sent_public_alert(police, area)
    user = member_of(area)
    mine = Delivery.objects.create(
        alert=alert, user=user, area=area, channel="inapp", status="sent"
    )
    Membership.objects.filter(household__members__user=user).update(status="requested")
    membership = Membership.objects.get(household__members__user=user)

    services.approve_request(actor=area_contact, membership=membership)

    assert list(Delivery.objects.filter(user=user)) == [mine]


def test_joining_a_member_household_by_invitation_catches_up_too(area, police):
    alert = sent_public_alert(police, area)
    member = member_of(area)
    household = member.household_member.household
    invitation = invitations.Invitation(
        kind="household", target_id=household.pk, email="ny@example.com", inviter_id=member.pk
    )
    newcomer = UserFactory(email="ny@example.com")

    invitations.accept_invitation(user=newcomer, invitation=invitation)

    assert [entry.alert for entry in inbox(newcomer.pk)] == [alert]
