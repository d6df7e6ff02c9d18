"""The endpoints through which a browser sets up and gives up push notifications."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from notifications.push import conf, services
from notifications.push.forms import SubscriptionForm, device_label

# A subscription is an endpoint and two short keys: well under a kilobyte.
SUBSCRIPTION_MAX_BYTES = 4096


def _too_large(request: HttpRequest) -> bool:
    """Judged by the announced length, before the body is read."""
    return int(request.META.get("CONTENT_LENGTH") or 0) > SUBSCRIPTION_MAX_BYTES


def _json_body(request: HttpRequest) -> object:
    """The request's JSON, or None for anything else."""
    try:
        return json.loads(request.body)
    except (UnicodeDecodeError, ValueError):
        return None


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
    if not isinstance(endpoint, str):
        return _refused(_("That is not the address of a push service."))
    return JsonResponse({"removed": services.unsubscribe(user=request.user, endpoint=endpoint)})


@login_required
@require_POST
def remove_device(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if services.remove(user=request.user, pk=pk):
        messages.success(request, _("The device gets no more push notifications."))
    return redirect(reverse("notifications:preferences") + "#push")
