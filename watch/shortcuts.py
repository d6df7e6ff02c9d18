"""Helpers for the views of every feature, as ``django.shortcuts`` is for Django's."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from watch import permissions
from watch.areas.models import WatchArea


def managed_area_or_404(request: HttpRequest, pk: int) -> WatchArea:
    """The area ``pk`` if the user may manage it; else 404, so its existence is not revealed."""
    return get_object_or_404(
        WatchArea.objects.filter(permissions.manageable_areas(request.user)).select_related(
            "municipality"
        ),
        pk=pk,
    )


def show_errors(request: HttpRequest, error: ValidationError) -> None:
    """A service's refusal, as messages to the person who asked."""
    for message in error.messages:
        messages.error(request, message)


def next_page(request: HttpRequest) -> str | None:
    """The page to return to (``next`` in the form or the address), if it is on this site:
    a start page acts on a request, and the person stays where they were."""
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None
