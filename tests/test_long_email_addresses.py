"""An e-mail address over 254 characters (what the columns hold, and the longest that can
be delivered) is refused with a message naming the limit before anything is written: in
sign-up, adding an address, password reset, the household and area invitations and
appointing a contact. Signing up again with an address that has an account takes
allauth's usual path. (On PostgreSQL a longer address was a 500; allauth cut it short.)"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.conftest import client_for
from tests.factories import DEFAULT_PASSWORD, HouseholdFactory, resident
from watch.audit.models import AuditEntry
from watch.households.models import HouseholdMember
from watch.roles.models import AreaContact

pytestmark = pytest.mark.django_db

LONG = "a" * 300 + "@example.org"  # 312 characters, a valid form
LIMIT = "at most 254 characters (it has 312)"


def signup(client, email: str):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "full_name": "Ny Person",
            "password1": "ett långt lösenord 42",
            "password2": "ett långt lösenord 42",
        },
    )


def test_sign_up_refuses_it_and_creates_nothing(client):
    response = signup(client, LONG)

    assert response.status_code == 200
    assert LIMIT in response.content.decode()
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()
    assert mail.outbox == []


def test_signing_up_again_with_a_taken_address_reveals_nothing(client, member):
    response = signup(client, member.email)

    assert response.status_code == 302  # as for a new address: on to "check your e-mail"
    assert User.objects.filter(email=member.email).count() == 1
    # The owner, not the stranger, hears of it.
    assert [message.to for message in mail.outbox] == [[member.email]]


def test_adding_an_address_refuses_it(member, member_client):
    response = member_client.post(reverse("account_email"), {"action_add": "", "email": LONG})

    assert LIMIT in response.content.decode()
    assert list(EmailAddress.objects.filter(user=member).values_list("email", flat=True)) == [
        member.email
    ]


def test_password_reset_refuses_it(client):
    response = client.post(reverse("account_reset_password"), {"email": LONG})

    assert LIMIT in response.content.decode()
    assert mail.outbox == []


def test_the_household_invitation_refuses_it(member, member_client, area):
    resident(member, HouseholdFactory.inside(area))

    response = member_client.post(reverse("watch:household_invite"), {"email": LONG}, follow=True)

    assert LIMIT in response.content.decode()
    assert mail.outbox == []
    assert not AuditEntry.objects.exists()


def test_the_area_invitation_refuses_it(area, area_contact):
    client = client_for(area_contact)

    response = client.post(
        reverse("watch:area_invite", args=[area.pk]), {"email": LONG}, follow=True
    )

    assert LIMIT in response.content.decode()
    assert mail.outbox == []
    assert HouseholdMember.objects.count() == 1  # the contact's own


def test_appointing_a_contact_refuses_it(area, coordinator):
    response = client_for(coordinator).post(
        reverse("watch:area_contacts", args=[area.pk]), {"email": LONG}, follow=True
    )

    assert LIMIT in response.content.decode()
    assert not AreaContact.objects.exists()


def test_login_with_it_is_a_form_error_not_a_500(client):
    response = client.post(reverse("account_login"), {"login": LONG, "password": DEFAULT_PASSWORD})

    assert response.status_code == 200
