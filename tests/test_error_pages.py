"""Error pages in the site's layout, translated, with the emergency numbers: 400, 403,
404, 413, 429 and 500."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
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


ASK_CONTACT = "ask your area contact"
ASK_COORDINATOR = "ask your municipality's security coordinator"
ASK_ADMINISTRATORS = "ask the service's administrators"


def test_403_sends_an_area_contact_to_the_coordinator_not_to_themselves(area_contact, area):
    # A contact manages their area but does not redraw it.
    response = client_for(area_contact).get(reverse("watch:area_edit", args=[area.pk]))

    assert_error_page(response, 403, "You cannot see this page")
    page = response.content.decode()
    assert ASK_COORDINATOR in page
    assert ASK_CONTACT not in page


def test_403_sends_an_official_to_the_administrators(police, municipality):
    # The municipality's page is edited by its coordinators, not its police.
    response = client_for(police).get(reverse("watch:municipality_edit", args=[municipality.slug]))

    assert_error_page(response, 403, "You cannot see this page")
    page = response.content.decode()
    assert ASK_ADMINISTRATORS in page
    assert ASK_CONTACT not in page
    assert ASK_COORDINATOR not in page


def test_403_sends_a_resident_to_their_area_contact(rf: RequestFactory, area_member):
    request = rf.get("/")
    request.user = area_member

    response = errors.permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    page = response.content.decode()
    assert f"{ASK_CONTACT} or your municipality's security coordinator" in page
    assert ASK_ADMINISTRATORS not in page


def test_403_asks_a_visitor_to_log_in(anonymous_client, area):
    response = anonymous_client.get(reverse("watch:area_edit", args=[area.pk]))
    request = RequestFactory().get("/manage/")
    request.user = AnonymousUser()

    page = errors.permission_denied(request, PermissionDenied()).content.decode()

    assert response.status_code == 302  # a visitor is sent to log in before any 403
    assert "if you have an account" in page
    assert "If you think you should" not in page


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
    assert urls.handler403 == "config.errors.permission_denied"
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
