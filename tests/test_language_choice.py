"""Which language a page is in: the deployment's own (LANGUAGE_CODE, Swedish) unless the
visitor chose another in the menu (the language cookie) or on their profile, whatever
language their browser asks for (Accept-Language)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

FOOTER_SV = "Det här är ingen larmtjänst."
FOOTER_EN = "This is not an emergency service."


@pytest.fixture(autouse=True)
def _swedish_deployment(settings):
    settings.LANGUAGE_CODE = "sv"


def test_a_browser_that_prefers_english_still_gets_swedish():
    response = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").get("/")

    assert FOOTER_SV in response.content.decode()
    assert response["Content-Language"] == "sv"
    assert "Cookie" in response["Vary"]
    assert "Accept-Language" not in response.get("Vary", "")


def test_choosing_english_in_the_menu_is_kept():
    client = Client(HTTP_ACCEPT_LANGUAGE="sv-SE,sv;q=0.9")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.get("/")

    assert FOOTER_EN in response.content.decode()
    assert response["Content-Language"] == "en"


def test_a_language_the_site_does_not_offer_is_ignored():
    client = Client()
    client.cookies["django_language"] = "de"

    assert FOOTER_SV in client.get("/").content.decode()


def test_the_profiles_language_wins_for_a_signed_in_user(member):
    member.language = "en"
    member.save(update_fields=["language"])
    client = client_for(member)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "sv"

    response = client.get("/")

    assert FOOTER_EN in response.content.decode()
    assert response["Content-Language"] == "en"


def test_an_english_deployment_speaks_english_to_a_swedish_browser(settings):
    settings.LANGUAGE_CODE = "en"

    response = Client(HTTP_ACCEPT_LANGUAGE="sv-SE,sv;q=0.9").get("/")

    assert FOOTER_EN in response.content.decode()
