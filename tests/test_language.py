import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

FOOTER_SV = "Det här är ingen larmtjänst."
FOOTER_EN = "This is not an emergency service."


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
