"""Whose inbox a page is, for the service worker's offline copies (static/js/service-worker.js)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpResponse
from django.utils.crypto import salted_hmac

from accounts.http import AuthenticatedRequest

View = Callable[..., HttpResponse]


def inbox_owner(user_id: int) -> str:
    """A keyed hash: tells two people's pages apart without naming either."""
    return salted_hmac("notifications.push.offline", str(user_id)).hexdigest()[:24]


def kept_offline(view: View) -> View:
    """Name the owner of an inbox page, so that the service worker keeps it for them."""

    @wraps(view)
    def wrapper(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response["Inbox-Owner"] = inbox_owner(request.user.pk)
        return response

    return wrapper
