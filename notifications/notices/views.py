"""The one page of account notices: stopping invitations to an address."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notifications.notices import services


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a session.
@require_http_methods(["GET", "POST"])
def stop_invitations(request: HttpRequest, token: str) -> HttpResponse:
    """No more invitations to the address in the signed token, which is the authority."""
    try:
        address = services.read_stop_token(token)
    except signing.BadSignature:
        return render(request, "notifications/stop_invitations.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.stop_invitations(address)
        return render(request, "notifications/stop_invitations.html", {"done": True})
    return render(request, "notifications/stop_invitations.html", {"address": address})
