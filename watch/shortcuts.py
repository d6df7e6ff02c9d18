"""Helpers for the views of every feature, as ``django.shortcuts`` is for Django's."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

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
