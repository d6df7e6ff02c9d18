"""Whose inbox a page is, and until when its copy may be read, for the service worker's
offline copies (static/js/service-worker.js).

Every HTML page names the person it was answered for (``Inbox-Owner``: a keyed hash, or
``none``), so that the worker empties the copies as soon as the site is reached by
anyone else, including the same browser after the session ended. An inbox page also says
when its copy must be gone (``Inbox-Expires``): when the session ends. A session that
ends with the browser also gets a browser-session cookie (``inbox_session``), and its
pages name it (``Inbox-Session``): the worker shows a copy only while that cookie is
there, so a copy does not outlive the browser either.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.http import AuthenticatedRequest

View = Callable[..., HttpResponse]

OWNER_HEADER = "Inbox-Owner"
EXPIRES_HEADER = "Inbox-Expires"
SESSION_HEADER = "Inbox-Session"
SESSION_COOKIE = "inbox_session"
NOBODY = "none"
# When the copies of this session's inbox pages must be gone (seconds since the epoch).
SESSION_END_KEY = "offline_copies_until"


def inbox_owner(user_id: int) -> str:
    """A keyed hash: tells two people's pages apart without naming either."""
    return salted_hmac("notifications.push.offline", str(user_id)).hexdigest()[:24]


def session_token(session_key: str) -> str:
    """Tells this session's cookie from another's, without giving the session key away."""
    return salted_hmac("notifications.push.offline.session", session_key).hexdigest()[:24]


def session_end(session: SessionBase) -> int:
    """A time the session lasts at least until: when its copies must be gone.

    ``get_expiry_date()`` counts from now, but a session ends where its last save put it
    (the row's expiry and the cookie's are both set when the session is saved, which is
    not on every request). So the end is written into the session, which saves it, and
    from then on every later save only moves the real end further. It is written again
    once half the session's age is used up, so an inbox read daily keeps copies that
    last, at the cost of one session write per half age rather than one per page.
    """
    now = int(timezone.now().timestamp())
    age = session.get_expiry_age()
    end = session.get(SESSION_END_KEY)
    if not isinstance(end, int) or not now + age // 2 <= end <= now + age:
        end = now + age
        session[SESSION_END_KEY] = end
    return end


class InboxOwnerMiddleware:
    """``Inbox-Owner`` on every HTML page: whose inbox the worker may keep, or ``none``.

    Placed after AuthenticationMiddleware. It adds no query: a visitor without a session
    cookie is anonymous without one, and the pages load the user for the site's header
    anyway (tests/test_offline_copies.py counts). The header depends on the session
    cookie, which every page already varies on (accounts.middleware).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            user = request.user
            response[OWNER_HEADER] = inbox_owner(user.pk) if user.is_authenticated else NOBODY
        return response


def kept_offline(view: View) -> View:
    """Say until when the service worker may show its copy of an inbox page."""

    @wraps(view)
    def wrapper(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        session = request.session
        response[EXPIRES_HEADER] = str(session_end(session))
        if session.get_expire_at_browser_close() and session.session_key:
            token = session_token(session.session_key)
            response[SESSION_HEADER] = token
            # Not HttpOnly: the worker reads it (Cookie Store API). It says nothing but
            # that this browser session is the one the copies were made in, and the
            # server never reads it, so no other site's page needs to send it along.
            response.set_cookie(
                SESSION_COOKIE,
                token,
                path=settings.SESSION_COOKIE_PATH,
                domain=settings.SESSION_COOKIE_DOMAIN,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Strict",
            )
        return response

    return wrapper
