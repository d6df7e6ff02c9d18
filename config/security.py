"""Response headers that Django's SecurityMiddleware does not set: CSP and Permissions-Policy.

It lives in config/ next to the settings because it is site-wide wiring, like the rest of
the ``SECURE_*`` headers, not a concern of one app.

The Content-Security-Policy has no 'unsafe-inline' and no nonces: templates carry no
inline script, style or event handler (JavaScript is in static/js, configuration in
``data-*`` attributes and ``json_script``), which ``tests/test_no_inline_code.py`` checks.
Leaflet positions tiles and markers by setting ``element.style`` from script (CSSOM),
which style-src does not restrict. Map tiles are the only thing loaded from elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

# Only what the site uses may run; the rest of the powerful features are switched off.
PERMISSIONS_POLICY = ", ".join(
    [
        "geolocation=(self)",
        "camera=()",
        "microphone=()",
        "payment=()",
        "usb=()",
        "accelerometer=()",
        "gyroscope=()",
        "magnetometer=()",
    ]
)


def tile_source(tiles_url: str | None) -> str | None:
    """The CSP source of a Leaflet tile URL template: its scheme and host.

    Leaflet's ``{s}`` subdomain placeholder becomes a wildcard
    (``https://{s}.tile.example.org/{z}/{x}/{y}.png`` -> ``https://*.tile.example.org``).
    A relative or empty template (tiles served by the site itself) adds nothing.
    """
    parts = urlsplit(tiles_url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


def content_security_policy(tiles_url: str | None) -> str:
    images = ["'self'", "data:"]
    if source := tile_source(tiles_url):
        images.append(source)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": images,
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


# An alert's e-mail shown as members will get it, inside the composer's Check page
# (notifications.alerts.views.alert_email). E-mail HTML needs inline styles, so it gets
# a policy of its own: nothing may load or run (``sandbox`` gives it an opaque origin,
# no scripts, no forms), inline styles and data: images may, and only pages of this
# site may frame it. The middleware leaves a response's own policy alone.
FRAMED_EMAIL_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox"
)


class NulCharacterMiddleware:
    """A query string with a NUL character (``%00``) is refused with the 400 page: no
    text column of PostgreSQL can hold one, so a filter on it (the areas' municipality,
    the admin's lists) was a 500 there, and nothing a person types holds one. Forms
    refuse it field by field (Django's ``ProhibitNullCharactersValidator``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            raise BadRequest
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy on HTML responses, Permissions-Policy on all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy(settings.MAP_TILES_URL)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def clears_site_data(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Have the browser forget what the site stored once the person has logged out: the
    service worker's copies of their inbox (static/js/service-worker.js), and with the
    worker its push subscription, so the next person at a shared computer sees neither."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.method == "POST" and not request.user.is_authenticated:
            response["Clear-Site-Data"] = '"storage"'
        return response

    return wrapper
