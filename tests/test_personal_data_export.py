"""A member downloads everything held about them, as JSON (GDPR art. 15 and 20)."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.alerts.models import Channel, Delivery, Kind
from notifications.notices.models import OutboundEmail
from notifications.outbox.models import DeliveryStatus
from tests.conftest import client_for
from tests.factories import UserFactory, alert_for, member_of, prefer, resident, verified_phone
from watch.audit.models import AuditAction, AuditEntry
from watch.community.models import AwayNotice, Observation, ObservationCategory
from watch.households.models import HouseholdMember
from watch.households.services import decline_request

pytestmark = pytest.mark.django_db

URL = reverse("accounts:data_export")


@pytest.fixture
def anna_with_history(area, area_member, area_contact, police):
    """Anna with a household mate, choices, an alert, an away notice and an observation."""
    household = HouseholdMember.objects.get(user=area_member).household
    resident(UserFactory(full_name="Hugo Husfrände", email="hugo@example.org"), household)
    verified_phone(area_member, "+46701740620")
    prefer(area_member, Kind.WARNING, email=False, sms=True, inapp=True)
    alert = alert_for(police, area, title="Inbrott på Storgatan", status="sent")
    Delivery.objects.create(
        alert=alert, user=area_member, area=area, channel=Channel.SMS, status=DeliveryStatus.SENT
    )
    OutboundEmail.objects.create(
        to=area_member.email,
        user=area_member,
        language="sv",
        template="watch/request_approved",
        status=DeliveryStatus.SENT,
    )
    AwayNotice.objects.create(
        household=household,
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 7, 20),
        note="Nyckel hos grannen",
        created_by=area_member,
    )
    Observation.objects.create(
        reporter=area_member,
        municipality=area.municipality,
        area=area,
        category=ObservationCategory.GRAFFITI,
        observed_at=timezone.now() - timedelta(days=1),
        longitude=13.82,
        latitude=58.71,
        description="Klotter på elskåpet",
    )
    return area_member


def download(user):
    response = client_for(user).get(URL)
    assert response.status_code == 200
    return response, json.loads(response.content)


def test_export_holds_everything_about_the_member(anna_with_history, area):
    response, data = download(anna_with_history)

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="grannsamverkan-')
    assert "no-store" in response["Cache-Control"]  # no proxy or shared browser keeps a copy
    assert data["account"]["email"] == "anna@example.org"
    assert data["account"]["phone"] == "+46701740620"
    assert data["account"]["email_addresses"] == [
        {"email": "anna@example.org", "verified": True, "primary": True}
    ]
    assert data["household"]["other_members"] == ["Hugo Husfrände"]
    assert data["memberships"][0]["area__name"] == area.name
    assert data["memberships"][0]["status"] == "approved"
    assert data["preferences"] == [
        {"kind": "warning", "email": False, "sms": True, "inapp": True, "push": True}
    ]
    assert data["member_settings"]["verified_phone"] == "+46701740620"
    assert data["member_settings"]["sms_floor"] == "info"  # what each channel brings
    assert [(d["alert__title"], d["channel"], d["status"]) for d in data["deliveries"]] == [
        ("Inbrott på Storgatan", "sms", "sent")
    ]
    assert [(e["template"], e["status"]) for e in data["account_emails"]] == [
        ("watch/request_approved", "sent")
    ]
    assert data["away_notices"][0]["note"] == "Nyckel hos grannen"
    assert data["observations"][0]["description"] == "Klotter på elskåpet"
    assert data["audit_entries"][-1]["action"] == AuditAction.PERSONAL_DATA_EXPORTED


def test_export_reveals_nothing_of_other_people_but_household_names(anna_with_history):
    response, _data = download(anna_with_history)

    body = response.content.decode()
    assert "hugo@example.org" not in body  # a household mate: name only
    assert "eva@example.org" not in body  # the area contact
    assert "Eva Kontakt" not in body


def test_export_is_recorded_in_the_audit_log(member):
    download(member)

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.subject) == (
        AuditAction.PERSONAL_DATA_EXPORTED,
        member,
        member,
    )


def test_decisions_about_the_member_are_exported_with_their_reason(area, area_contact, member):
    member_of(area, user=member)
    membership = member.household_member.household.memberships.get()
    membership.status = "requested"  # asked to join; the contact declines
    membership.save()
    decline_request(actor=area_contact, membership=membership, reason="Utanför området")

    _response, data = download(member)

    assert data["memberships"][0]["status"] == "declined"
    assert data["memberships"][0]["reason"] == "Utanför området"
    about_me = [entry for entry in data["audit_entries"] if entry["about_me"]]
    assert about_me[0]["action"] == AuditAction.REQUEST_DECLINED
    assert "Utanför området" in about_me[0]["detail"]


def test_an_officials_entries_about_others_carry_no_detail(area, coordinator, area_member):
    AuditEntry.objects.create(
        actor=coordinator,
        action=AuditAction.CONTACT_APPOINTED,
        area=area,
        subject=area_member,
        detail="anna@example.org",
    )

    response, data = download(coordinator)

    assert "anna@example.org" not in response.content.decode()
    assert data["audit_entries"][0]["by_me"] is True
    assert data["roles"]["official"]["kind"] == "coordinator"


def test_export_without_a_household(member):
    _response, data = download(member)

    assert data["household"] is None
    assert data["memberships"] == []


def test_export_runs_a_constant_number_of_queries(
    anna_with_history, area, police, django_assert_max_num_queries
):
    client = client_for(anna_with_history)
    for n in range(30):
        alert = alert_for(police, area, title=f"Larm {n}", status="sent")
        Delivery.objects.create(alert=alert, user=anna_with_history, area=area, channel="inapp")
        AuditEntry.objects.create(actor=police, action="alert_sent", subject=anna_with_history)
        OutboundEmail.objects.create(to="anna@example.org", user=anna_with_history, language="sv")

    with django_assert_max_num_queries(25):
        response = client.get(URL)

    assert len(json.loads(response.content)["deliveries"]) == 31


def test_export_needs_a_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
