"""The installable app (its manifest and service worker, at the site's root) and the
endpoints through which a browser sets up and gives up push notifications."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedRequest
from notifications.push import conf, services
from notifications.push.forms import SubscriptionForm, device_label

# A subscription is an endpoint and two short keys: well under a kilobyte.
SUBSCRIPTION_MAX_BYTES = 4096
BRAND = "#0b4f8a"


def _too_large(request: HttpRequest) -> bool:
    """Judged by the announced length, before the body is read."""
    return int(request.META.get("CONTENT_LENGTH") or 0) > SUBSCRIPTION_MAX_BYTES


def _json_body(request: HttpRequest) -> object:
    """The request's JSON, or None for anything else: also for JSON nested deeper than
    Python's parser goes, and for text with half a UTF-16 pair ("\\ud800"), which JSON
    may escape and no database column can hold."""
    try:
        data = json.loads(request.body)
        json.dumps(data, ensure_ascii=False).encode()
    except (UnicodeError, ValueError, RecursionError):
        return None
    return data


def _refused(message: object, status: int = 400) -> JsonResponse:
    return JsonResponse({"message": str(message)}, status=status)


TOO_LARGE = gettext_lazy("That is far too much for a push subscription.")


@login_required
@require_POST
def subscribe(request: AuthenticatedRequest) -> JsonResponse:
    if not conf.vapid_public_key():
        return _refused(_("Push notifications are not available on this site."), status=404)
    if _too_large(request):
        return _refused(TOO_LARGE, status=413)
    form = SubscriptionForm.from_json(_json_body(request))
    if not form.is_valid():
        return _refused(next(iter(form.errors.values()))[0])
    try:
        device = services.subscribe(
            user=request.user,
            label=device_label(request.headers.get("User-Agent", ""))[:100],
            **form.cleaned_data,
        )
    except ValidationError as error:
        return _refused(error.messages[0])
    return JsonResponse({"device": device.pk}, status=201)


@login_required
@require_POST
def unsubscribe(request: AuthenticatedRequest) -> JsonResponse:
    if _too_large(request):
        return _refused(TOO_LARGE, status=413)
    data = _json_body(request)
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    # Read as a subscription's is: never longer than the column, never with a NUL, which
    # no text column of PostgreSQL holds (it was a 500 there).
    try:  # (text only: a form field would take a list for the text of it)
        endpoint = (
            SubscriptionForm.base_fields["endpoint"].clean(endpoint)
            if isinstance(endpoint, str)
            else None
        )
    except ValidationError:
        endpoint = None
    if endpoint is None:
        return _refused(_("That is not the address of a push service."))
    return JsonResponse({"removed": services.unsubscribe(user=request.user, endpoint=endpoint)})


@login_required
@require_POST
def remove_device(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if services.remove(user=request.user, pk=pk):
        messages.success(request, _("The device gets no more push notifications."))
    return redirect(reverse("notifications:preferences") + "#push")


@require_GET
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest (W3C Web Application Manifest), in the page's language."""
    icons = [
        {"src": static("icons/app-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("icons/app-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("icons/app-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    content = {
        "id": "/",
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME,
        "description": _("Neighbourhood watch: alerts and tips for where you live."),
        "lang": get_language(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": BRAND,
        "icons": icons,
    }
    response = JsonResponse(content, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@cache
def _service_worker_script() -> bytes:
    path = finders.find("js/service-worker.js")
    if not isinstance(path, str):
        raise FileNotFoundError("static/js/service-worker.js")
    return Path(path).read_bytes()


@require_GET
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/service-worker.js, from the root so that its scope is the whole site.

    Not at its static URL: browsers look for updates at the address they registered, which
    a hashed static name would change with every release; ``no-cache`` makes them ask.
    """
    response = HttpResponse(_service_worker_script(), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response
