"""The error pages' views: in the site's layout, translated, with the emergency numbers.

Django's own handlers serve 403 and 404 (templates/403.html, 404.html). These two differ:
a request over the upload limit is "too large" (413), not "bad" (400), and a server
error renders without the context processors, which may be what failed (the database).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token

MEGABYTE = 1_048_576


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
