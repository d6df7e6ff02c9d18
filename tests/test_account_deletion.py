"""A member deletes their account: personal data goes, the senders' counts stay."""

from datetime import date

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from notifications.alerts.models import Channel, Delivery
from notifications.alerts.selectors import report
from notifications.notices import services as notice_services
from notifications.notices.models import OutboundEmail
from notifications.outbox import pipeline as outbox_pipeline
from notifications.outbox.models import DeliveryStatus
from notifications.outbox.pipeline import Outcome
from notifications.preferences.models import MemberSettings, Preference
from tests.conftest import client_for
from tests.factories import (
    DEFAULT_PASSWORD,
    UserFactory,
    alert_for,
    official,
    prefer,
    resident,
    verified_phone,
)
from watch.audit.models import AuditAction, AuditEntry
from watch.community.models import AwayNotice
from watch.households.models import Household, HouseholdMember, Interest, Membership
from watch.roles.models import AreaContact, Official, OfficialKind
from watch.roles.services import remove_contact

pytestmark = pytest.mark.django_db

URL = reverse("accounts:delete_account")


def delete(user: User, password: str = DEFAULT_PASSWORD) -> tuple[Client, object]:
    client = client_for(user)
    return client, client.post(URL, {"password": password})


@pytest.fixture
def anna(area_member):
    verified_phone(area_member, "+46701740630")
    prefer(area_member, "warning", sms=True)
    return area_member


def test_the_confirmation_page_asks_for_the_password(anna):
    page = client_for(anna).get(URL)

    assert page.status_code == 200
    assert 'type="password"' in page.content.decode()


def test_a_wrong_password_changes_nothing(anna):
    _client, response = delete(anna, "not-my-password")

    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    anna.refresh_from_db()
    assert (anna.email, anna.is_active, anna.phone) == ("anna@example.org", True, "+46701740630")
    assert HouseholdMember.objects.filter(user=anna).exists()
    assert not AuditEntry.objects.exists()


def test_password_guessing_is_rate_limited(anna):
    client = client_for(anna)
    for _attempt in range(10):
        client.post(URL, {"password": "guess"})

    response = client.post(URL, {"password": DEFAULT_PASSWORD})

    assert "Too many attempts" in response.content.decode()
    assert User.objects.get(pk=anna.pk).is_active


def test_deletion_anonymises_the_account_and_logs_out(anna):
    client, response = delete(anna)

    assert response.status_code == 302
    assert response.url == reverse("watch:home")
    assert "_auth_user_id" not in client.session
    assert "Your account and your personal data have been deleted." in (
        client.get(response.url).content.decode()
    )
    anna.refresh_from_db()
    assert anna.email == f"deleted-{anna.pk}@deleted.invalid"
    assert (anna.full_name, anna.phone, anna.is_active) == ("", "", False)
    assert not anna.has_usable_password()
    assert not EmailAddress.objects.filter(user=anna).exists()
    assert not Preference.objects.filter(user=anna).exists()
    assert not MemberSettings.objects.filter(user=anna).exists()
    login = Client().post(
        reverse("account_login"), {"login": "anna@example.org", "password": DEFAULT_PASSWORD}
    )
    assert "_auth_user_id" not in login.wsgi_request.session


def test_the_audit_entry_names_nobody(anna):
    delete(anna)

    entry = AuditEntry.objects.get(action=AuditAction.ACCOUNT_DELETED)
    assert (entry.actor, entry.subject, entry.detail, entry.area) == (None, None, "", None)


def test_the_last_member_takes_the_household_and_its_address_along(anna, area, area_contact):
    household = HouseholdMember.objects.get(user=anna).household
    AwayNotice.objects.create(
        household=household, starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 5), created_by=anna
    )
    AuditEntry.objects.create(
        actor=area_contact,
        action=AuditAction.REQUEST_APPROVED,
        area=area,
        subject=None,
        detail=f"{household} ",
    )

    delete(anna)

    assert not Household.objects.filter(pk=household.pk).exists()
    assert not Membership.objects.filter(household_id=household.pk).exists()
    assert not AwayNotice.objects.exists()
    assert not AuditEntry.objects.filter(detail__contains=household.street_address).exists()


def test_the_household_stays_for_its_other_members(anna, area):
    household = HouseholdMember.objects.get(user=anna).household
    mate = resident(UserFactory(full_name="Hugo Husfrände"), household)

    delete(anna)

    assert list(HouseholdMember.objects.filter(household=household)) == [mate]
    assert household.memberships.get().status == "approved"


def test_roles_and_interest_end(area, area_contact, municipality):
    household = HouseholdMember.objects.get(user=area_contact).household
    Interest.objects.create(household=household, registered_by=area_contact)
    Official.objects.create(user=area_contact, kind=OfficialKind.COORDINATOR)

    delete(area_contact)

    assert not AreaContact.objects.filter(user=area_contact).exists()
    assert not Official.objects.filter(user=area_contact).exists()
    assert not Interest.objects.exists()


def test_the_senders_counts_stay_and_nothing_more_is_sent(anna, area, police):
    alert = alert_for(police, area, status="sent")
    for channel, status in (
        (Channel.EMAIL, DeliveryStatus.FAILED),
        (Channel.INAPP, DeliveryStatus.SENT),
        (Channel.SMS, DeliveryStatus.QUEUED),
    ):
        Delivery.objects.create(
            alert=alert,
            user=anna,
            area=area,
            channel=channel,
            status=status,
            last_error="550 anna@example.org: no such user",
        )
    before = list(report(alert)["by_area"])

    delete(anna)

    assert list(report(alert)["by_area"]) == [{**before[0], "sent": 1, "failed": 1}]
    assert before[0]["members"] == 1
    assert Delivery.objects.filter(alert=alert).count() == 3
    sms = Delivery.objects.get(alert=alert, channel=Channel.SMS)
    assert (sms.status, sms.reason) == (DeliveryStatus.SKIPPED, "opted_out")
    assert not Delivery.objects.exclude(last_error="").exists()


def test_an_area_contact_no_longer_sees_the_deleted_member(anna, area, area_contact):
    HouseholdMember.objects.filter(user=anna).update(share_contact_details=True)
    address = HouseholdMember.objects.get(user=anna).household.street_address
    delete(anna)
    contact = client_for(area_contact)

    pages = [
        contact.get(reverse(name, args=[area.pk]))
        for name in ("watch:manage_area", "watch:members_csv", "watch:members_print")
    ]

    for page in pages:
        body = page.content.decode("utf-8-sig")
        assert page.status_code == 200
        for personal in ("Anna Areamedlem", "anna@example.org", address, "70 174 06 30"):
            assert personal not in body


def test_an_appointment_of_the_member_loses_its_detail(area, coordinator, member):
    contact = AreaContact.objects.create(area=area, user=member)
    remove_contact(actor=coordinator, contact=contact)
    AuditEntry.objects.filter(subject=member).update(detail="maja@example.org")
    AuditEntry.objects.create(
        actor=coordinator,
        action=AuditAction.HOUSEHOLD_INVITED,
        area=area,
        detail="maja@example.org",
    )

    delete(member)

    assert not AuditEntry.objects.filter(detail__icontains="maja").exists()
    assert AuditEntry.objects.filter(action=AuditAction.CONTACT_REMOVED).exists()


def test_an_official_can_delete_their_account(municipality):
    officer = official(OfficialKind.POLICE, municipality, full_name="Per Polis")

    delete(officer)

    officer.refresh_from_db()
    assert not officer.is_active
    assert not Official.objects.filter(user=officer).exists()
    assert not Authenticator.objects.filter(user=officer).exists()  # the TOTP secret too


def test_sessions_on_other_devices_end(anna):
    other_device = client_for(anna)

    delete(anna)

    response = other_device.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_profile_page_links_to_download_and_deletion(member):
    page = client_for(member).get(reverse("accounts:profile")).content.decode()

    assert reverse("accounts:data_export") in page
    assert URL in page


def test_a_send_in_flight_does_not_write_the_deleted_members_address_back(anna, area, police):
    alert = alert_for(police, area)
    delivery = Delivery.objects.create(
        alert=alert, user=anna, area=area, channel=Channel.EMAIL, status=DeliveryStatus.SENDING
    )
    delete(anna)  # while a worker is sending to her
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SKIPPED

    failure = Outcome(delivery.pk, ok=False, error="550 anna@example.org: no such user")
    outbox_pipeline.record_outcomes(Delivery, [delivery], [failure])

    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == (DeliveryStatus.SKIPPED, "")


def test_account_e_mails_to_the_member_go_sent_or_not_and_nothing_more_is_sent(anna, member):
    for status in (DeliveryStatus.SENT, DeliveryStatus.QUEUED, DeliveryStatus.SENDING):
        OutboundEmail.objects.create(to=anna.email, user=anna, language="sv", status=status)
    # An invitation to her address, from before she had an account.
    OutboundEmail.objects.create(to=anna.email.upper(), language="sv")
    others = OutboundEmail.objects.create(to=member.email, user=member, language="sv")
    queued = list(OutboundEmail.objects.filter(user=anna, status=DeliveryStatus.QUEUED))

    delete(anna)

    assert list(OutboundEmail.objects.all()) == [others]
    notice_services.send_outbound_emails([row.pk for row in queued])
    assert mail.outbox == []
