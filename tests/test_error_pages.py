"""Error pages in the site's layout, translated, with the emergency numbers: 400, 403,
404, 413, 429 and 500."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from config import errors, urls
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

EMERGENCY = 'href="tel:112"'


def assert_error_page(response, status: int, heading: str) -> None:
    page = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in page
    assert f"Error {status}" in page
    assert EMERGENCY in page
    assert 'class="site-header"' in page


def test_404_in_the_layout(anonymous_client):
    response = anonymous_client.get("/no-such-page/")

    assert_error_page(response, 404, "Page not found")


def test_404_in_swedish():
    client = Client()
    client.cookies["django_language"] = "sv"

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "<h1>Sidan finns inte</h1>" in response.content.decode()
    assert "Fel 404" in response.content.decode()


def test_403_says_who_to_ask(area_contact, area):
    # A contact manages their area but does not redraw it.
    response = client_for(area_contact).get(reverse("watch:area_edit", args=[area.pk]))

    assert_error_page(response, 403, "You cannot see this page")
    assert "security coordinator" in response.content.decode()


def test_413_for_a_body_over_the_limit(settings, area_member):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000

    response = client_for(area_member).post(
        reverse("watch:household_edit"), {"street_address": "x" * 5_000}
    )

    assert_error_page(response, 413, "What you sent is too large")
    assert "at most 5 MB" in response.content.decode()


def test_400_for_a_request_that_cannot_be_read(rf: RequestFactory):
    request = rf.get("/")
    request.user = AnonymousUser()

    response = errors.bad_request(request, ValueError("broken"))

    assert response.status_code == 400
    assert "The request could not be read" in response.content.decode()


def test_400_for_a_host_the_site_does_not_serve():
    """A Host header outside ALLOWED_HOSTS is refused before any middleware signs the
    visitor in: the page's header must not need ``request.user`` (it was a 500)."""
    client = Client(raise_request_exception=False)

    response = client.get("/", HTTP_HOST="attacker.example")

    assert_error_page(response, 400, "The request could not be read")


def test_500_renders_without_the_database_or_the_context_processors(
    rf: RequestFactory, django_assert_num_queries
):
    with translation.override("sv"), django_assert_num_queries(0):
        response = errors.server_error(rf.get("/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Något gick fel</h1>" in page
    assert EMERGENCY in page
    assert ">Grannsamverkan<" in page


def test_a_500_page_has_the_header_in_its_own_language_after_one_in_another(rf: RequestFactory):
    """The header's links are kept per process (base.html's {% cache %}); a 500 page has no
    links to key them by, so the language must be in the key."""
    with translation.override("sv"):
        assert "<span>Meny</span>" in errors.server_error(rf.get("/")).content.decode()
    with translation.override("en"):
        english = errors.server_error(rf.get("/")).content.decode()

    assert "<span>Menu</span>" in english
    assert "Meny" not in english


def test_the_handlers_are_installed():
    assert urls.handler400 == "config.errors.bad_request"
    assert urls.handler500 == "config.errors.server_error"


def test_a_boundary_over_the_limit_gets_the_page_naming_the_limit(
    settings, coordinator, municipality
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_048_576 * 5 // 2

    response = client_for(coordinator).post(
        reverse("watch:area_create"),
        {"name": "Stort", "municipality": municipality.pk, "boundary": "[" * 3_000_000},
    )

    assert_error_page(response, 413, "What you sent is too large")
    assert "such as a pasted area boundary, can be at most 2.5 MB" in response.content.decode()
