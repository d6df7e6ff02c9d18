"""An invitation goes to someone who may have no account: it carries a one-click link
(and RFC 8058 headers) that stops all further invitations to the address. The address is
kept only as a hash; a later invitation to it is dropped, and the inviter is not told."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from notifications.notices.models import OutboundEmail, StoppedAddress
from notifications.notices.services import address_hash
from tests.conftest import client_for
from tests.factories import HouseholdFactory, resident

pytestmark = pytest.mark.django_db

ADDRESS = "Granne@Example.org"


def stop_link(message) -> str:
    return re.search(r"/notifications/no-more-invitations/[^/\s]+/", message.body).group()


@pytest.fixture
def invite(member, member_client, area, django_capture_on_commit_callbacks):
    resident(member, HouseholdFactory.inside(area))

    def invite(address: str = ADDRESS):
        with django_capture_on_commit_callbacks(execute=True):
            return member_client.post(
                reverse("watch:household_invite"), {"email": address}, follow=True
            )

    return invite


def test_an_invitation_carries_the_link_and_the_one_click_headers(invite, settings):
    invite()

    message = mail.outbox[0]
    assert f"{settings.SITE_URL}{stop_link(message)}" in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{settings.SITE_URL}{stop_link(message)}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_after_the_click_no_invitation_reaches_the_address(invite, area, area_contact):
    invite()
    link = stop_link(mail.outbox[0])
    page = Client().get(link).content.decode()
    assert "granne@example.org" in page  # asked first, in words, with a button

    done = Client().post(link).content.decode()
    again = invite("GRANNE@example.org").content.decode()
    client_for(area_contact).post(reverse("watch:area_invite", args=[area.pk]), {"email": ADDRESS})

    assert "gets no more invitations" in done
    assert len(mail.outbox) == 1  # only the first
    assert OutboundEmail.objects.count() == 1
    # The inviter is told what they are always told: nothing reveals the choice.
    assert "The invitation has been sent." in again
    assert list(StoppedAddress.objects.values_list("address_hash", flat=True)) == [
        address_hash("granne@example.org")
    ]


def test_a_mail_client_s_one_click_post_needs_no_session(invite):
    invite()
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        stop_link(mail.outbox[0]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert StoppedAddress.objects.count() == 1


def test_twice_is_once(invite):
    invite()
    link = stop_link(mail.outbox[0])

    Client().post(link)
    Client().post(link)

    assert StoppedAddress.objects.count() == 1


@pytest.mark.parametrize("token", ["forged", "eyJhIjoxfQ:1abc:def"])
def test_a_forged_link_stops_nothing(token):
    response = Client().post(reverse("notifications:stop_invitations", args=[token]))

    assert response.status_code == 400
    assert not StoppedAddress.objects.exists()
