"""allauth's e-mails speak as the site (SITE_NAME and the host of SITE_URL), never as
the host name the request happened to come to."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "nova.granne@example.org",
    "full_name": "Nova Granne",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
}


def test_the_verification_e_mail_greets_from_the_sites_name(client, settings):
    settings.SITE_NAME = "Grannsamverkan Mariestad"
    settings.SITE_URL = "https://grannsamverkan.mariestad.example"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]

    client.post(reverse("account_signup"), SIGNUP, HTTP_HOST="127.0.0.1:8000")

    (message,) = mail.outbox
    assert message.to == ["nova.granne@example.org"]
    assert message.subject.startswith("[Grannsamverkan")
    assert "Hello from Grannsamverkan Mariestad!" in message.body
    assert "Thank you for using Grannsamverkan Mariestad!" in message.body
    assert "register an account on grannsamverkan.mariestad.example." in message.body
    # The host only appears in the confirmation link, which must reach this server.
    assert "Hello from 127.0.0.1" not in message.body
    assert message.body.count("127.0.0.1:8000") == 1
