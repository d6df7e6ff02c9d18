"""Security headers: the Content-Security-Policy and Permissions-Policy of config/security.py
on every kind of page, and, under the production settings, HSTS, secure cookies and the rest
of Django's SecurityMiddleware headers."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from config.security import PERMISSIONS_POLICY, content_security_policy, tile_source
from tests.conftest import client_for
from tests.factories import DEFAULT_PASSWORD
from tests.settings_process import PRODUCTION, load_settings

pytestmark = pytest.mark.django_db

EXPECTED_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data: https://tile.openstreetmap.org; connect-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)


@pytest.fixture
def pages(area, coordinator, police, member) -> list[tuple[Client, str]]:
    """Representative pages: public, the maps (view, draw, pin), compose, login."""
    return [
        (Client(), reverse("watch:home")),
        (Client(), reverse("watch:area_list")),
        (Client(), reverse("watch:area_detail", args=[area.pk])),
        (Client(), reverse("account_login")),
        (client_for(coordinator), reverse("watch:area_create")),
        (client_for(coordinator), reverse("watch:area_edit", args=[area.pk])),
        (client_for(member), reverse("watch:household_edit")),
        (client_for(police), reverse("notifications:alert_create")),
    ]


def test_every_representative_page_has_the_strict_policy(pages):
    assert settings.MAP_TILES_URL == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    for client, url in pages:
        response = client.get(url)

        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == EXPECTED_POLICY, url
        assert response["Permissions-Policy"] == PERMISSIONS_POLICY, url


def test_permissions_policy_allows_geolocation_to_the_site_only():
    assert "geolocation=(self)" in PERMISSIONS_POLICY
    assert "camera=()" in PERMISSIONS_POLICY
    assert "microphone=()" in PERMISSIONS_POLICY


def test_data_responses_get_permissions_policy_but_no_page_policy(client, area):
    response = client.get(reverse("watch:areas_geojson"))

    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


@pytest.mark.parametrize(
    ("tiles_url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.com/{z}/{x}/{y}.png", "https://*.tile.example.com"),
        ("http://tiles.local:8080/{z}/{x}/{y}.png", "http://tiles.local:8080"),
        ("/static/tiles/{z}/{x}/{y}.png", None),
        ("", None),
        (None, None),
        ("javascript:alert(1)", None),
    ],
)
def test_the_tile_host_is_derived_from_the_tile_url(tiles_url, source):
    assert tile_source(tiles_url) == source


def test_a_self_hosted_tile_server_adds_no_image_source():
    policy = content_security_policy("/tiles/{z}/{x}/{y}.png")

    assert "img-src 'self' data:;" in policy


def test_the_middleware_uses_the_configured_tile_host(settings, client):
    settings.MAP_TILES_URL = "https://{s}.kartor.example.com/{z}/{x}/{y}.png"

    response = client.get(reverse("watch:home"))

    assert (
        "img-src 'self' data: https://*.kartor.example.com;" in response["Content-Security-Policy"]
    )


# --- Production ---------------------------------------------------------------------------

SECURITY_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SECURE",
    "X_FRAME_OPTIONS",
    "ALLAUTH_TRUSTED_PROXY_COUNT",
)


@pytest.fixture(scope="module")
def production_security_settings() -> dict[str, object]:
    """The security settings as config/settings.py computes them with DJANGO_ENV=production."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {SECURITY_SETTINGS!r}}}))"
    )
    result = load_settings(PRODUCTION, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production(production_security_settings):
    with override_settings(**production_security_settings):
        yield production_security_settings


HTTPS = {"headers": {"X-Forwarded-Proto": "https"}}


def test_production_values_are_the_strict_ones(production):
    assert production["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["X_FRAME_OPTIONS"] == "DENY"


def test_production_pages_carry_every_security_header(production, client):
    response = client.get(reverse("account_login"), **HTTPS)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Security-Policy"] == EXPECTED_POLICY


def test_production_cookies_are_secure_and_http_only(production, client, member):
    login_page = client.get(reverse("account_login"), **HTTPS)
    csrf = login_page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True

    response = client.post(
        reverse("account_login"), {"login": member.email, "password": DEFAULT_PASSWORD}, **HTTPS
    )

    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_production_sends_plain_http_to_https_except_the_health_check(production, client):
    response = client.get(reverse("watch:home"))

    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert client.get(reverse("healthz")).status_code in (200, 503)


def test_behind_the_proxy_login_limits_count_each_client_not_the_proxy(production, client):
    """Every request comes from the TLS proxy's address; the client's is in X-Forwarded-For.

    Counted by the proxy's address, 30 attempts a minute from anyone would lock everybody out.
    """
    url = reverse("account_login")
    for _ in range(30):  # allauth's "login": 30 a minute per address
        client.post(url, {}, headers={"X-Forwarded-For": "198.51.100.7", **HTTPS["headers"]})

    flooder = client.post(url, {}, headers={"X-Forwarded-For": "198.51.100.7", **HTTPS["headers"]})
    neighbour = client.post(url, {}, headers={"X-Forwarded-For": "203.0.113.9", **HTTPS["headers"]})

    assert flooder.status_code == 429
    assert neighbour.status_code == 200
