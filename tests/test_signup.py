import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "Nova.Granne@Example.org",
    "full_name": "Nova Granne",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
}


def test_signup_sends_verification_mail_and_confirming_logs_in(client):
    response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert user.email == "nova.granne@example.org"
    assert user.full_name == "Nova Granne"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nova.granne@example.org"]
    confirm_url = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[0].body)
    assert confirm_url is not None

    assert client.get(confirm_url.group(1)).status_code == 200
    response = client.post(confirm_url.group(1))

    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_signup_requires_a_full_name_and_creates_nothing_without_one(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "full_name": ""})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_signup_takes_the_language_of_the_page(client):
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})

    client.post(reverse("account_signup"), SIGNUP)

    assert User.objects.get().language == "sv"
