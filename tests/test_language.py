import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

FOOTER_SV = "Det här är ingen larmtjänst."
FOOTER_EN = "This is not an emergency service."
EXPLAINED_SV = "Webbplatsen visas på språket i din profil."
EXPLAINED_EN = "The site is in the language of your profile."


def test_anonymous_visitor_switches_to_swedish_and_back(client):
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert FOOTER_SV in client.get("/").content.decode()

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert FOOTER_EN in client.get("/").content.decode()


def test_switching_language_is_saved_on_the_profile(member, member_client):
    member_client.post(reverse("set_language"), {"language": "en", "next": "/"})

    member.refresh_from_db()
    assert member.language == "en"
    assert FOOTER_EN in member_client.get("/").content.decode()


def test_a_signed_in_user_gets_their_profile_language_whatever_the_cookie(member, member_client):
    member.language = "sv"
    member.save()
    member_client.cookies["django_language"] = "en"

    assert FOOTER_SV in member_client.get("/").content.decode()


def test_unknown_language_is_ignored(member, member_client):
    member_client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    member.refresh_from_db()
    assert member.language == "en"


def test_a_login_that_changes_the_language_says_why_once(member):
    # A visitor who chose English logs in to a profile that says Swedish.
    member.language = "sv"
    member.save(update_fields=["language"])
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    client.post(reverse("account_login"), {"login": member.email, "password": DEFAULT_PASSWORD})
    first = client.get("/")

    page = first.content.decode()
    assert FOOTER_SV in page
    assert EXPLAINED_SV in page
    assert first.cookies["django_language"].value == "sv"
    again = client.get("/")
    assert EXPLAINED_SV not in again.content.decode()
    assert "django_language" not in again.cookies
    # Signed out, the device stays in the language it was last shown in.
    client.post(reverse("account_logout"))
    assert FOOTER_SV in client.get("/").content.decode()


def test_a_login_in_the_profiles_own_language_says_nothing(member):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    client.post(reverse("account_login"), {"login": member.email, "password": DEFAULT_PASSWORD})
    response = client.get("/")

    assert FOOTER_EN in response.content.decode()
    assert EXPLAINED_EN not in response.content.decode()
    assert "django_language" not in response.cookies
