"""The error pages' views: in the site's layout, translated, with the emergency numbers.

Django's own handler serves 404 (templates/404.html). These differ: a refusal (403) says
whom to ask by the visitor's role, a request over the upload limit is "too large" (413),
not "bad" (400), and a server error renders without the context processors, which may be
what failed (the database).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token

from watch import permissions

MEGABYTE = 1_048_576


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403, naming whom to ask: an area contact is not sent to themselves, nor an official
    to the area contacts they appoint."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        ask = ""
    elif permissions.acts_for_municipalities(user):
        ask = "administrator"
    elif permissions.roles_of(user).is_area_contact:
        ask = "coordinator"
    else:
        ask = "contact"
    return render(request, "403.html", {"ask": ask}, status=403)


def too_large(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """413. Also at /errors/413/, where the TLS proxy sends bodies over its own limit."""
    context = {
        "photo_megabytes": settings.OBSERVATION_PHOTO_MAX_BYTES // MEGABYTE,
        # A form's text (a pasted boundary, say) counts against Django's own limit.
        "form_megabytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE / MEGABYTE,
    }
    return render(request, "413.html", context, status=413)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return too_large(request, exception)
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(render_to_string("500.html", {"SITE_NAME": settings.SITE_NAME}))
