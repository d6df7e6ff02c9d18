"""A notice opened from the inbox: marked read, and on to the page of the answer."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect

from accounts.http import AuthenticatedRequest
from notifications.answers import selectors, services


@login_required
def notice(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(selectors.notices(request.user.pk), pk=pk)
    services.open_notice(found)
    # A path this site wrote (services.tell), never one from the request.
    return redirect(found.path)
