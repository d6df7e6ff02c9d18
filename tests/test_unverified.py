import pytest
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def test_unverified_user_cannot_log_in_and_is_sent_a_new_link(client, unverified_user, mailoutbox):
    response = client.post(
        reverse("account_login"), {"login": unverified_user.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert [m.to for m in mailoutbox] == [[unverified_user.email]]


def test_unverified_user_is_stopped_at_the_profile(client, unverified_user):
    client.post(
        reverse("account_login"), {"login": unverified_user.email, "password": DEFAULT_PASSWORD}
    )

    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_verified_member_logs_in(client, member):
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
