"""Rate limits on the site's own actions that write rows or send mail.

allauth limits signup, login and password reset itself (``ACCOUNT_RATE_LIMITS``); this
covers the rest: join requests, invitations, alerts, observations (and the duplicate
hint the report form asks for) and phone verification codes. Each action allows so many
POSTs per signed-in user per window. Counters live in Django's cache — Redis in
production, so every gunicorn worker counts against the same limit.

The window is fixed (counter key = action, user, window number) rather than sliding:
``cache.add`` + ``cache.incr`` are atomic in Redis and need no lock, and the worst case,
twice the limit across a window boundary, is still far from abuse.

Limits are ``"amount/period"`` strings (period ``s``, ``m``, ``h`` or ``d``, optionally
with a count: ``"10/15m"``). ``DEFAULT_RATE_LIMITS`` below; a deployment overrides any
of them with a ``RATE_LIMITS`` dict in its settings.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import wraps
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

DEFAULT_RATE_LIMITS = {
    # A household has at most one pending request; more than this is a script.
    "join": "10/h",
    # Invitations mail any address given: the limits keep the site from being a spam relay.
    "household_invite": "10/h",
    # A contact invites the neighbours after a start meeting, so a few dozen at once.
    "area_invite": "30/h",
    # An officer may write several drafts and send a few follow-ups during one incident.
    "alert_create": "30/h",
    "alert_send": "20/h",
    # Each verification code is a paid text to whatever number the member typed in.
    "phone_code": "10/d",
    # A report mails the area's contacts and may store a photo of a few megabytes.
    "observation": "10/h",
    # The report form asks "Is it one of these?" each time its category or pin changes
    # (a pin dragged about asks a few times); many more is someone mapping the reports.
    "observation_nearby": "120/h",
    # Replies to an alert and answers to them: a conversation, not a chat.
    "reply": "30/h",
    # A damaged or missing sign mails the area's contacts.
    "sign_report": "10/h",
    # A household's claim code is guessed at most this often per account.
    "claim": "10/h",
}
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

View = Callable[..., HttpResponse]


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/h"`` -> (10, 3600): the number of requests allowed per window of seconds."""
    amount, _slash, period = rate.partition("/")
    count, unit = period[:-1], period[-1:]
    if not amount.isdigit() or unit not in UNITS or not (count == "" or count.isdigit()):
        raise ValueError(f"not a rate limit: {rate!r} (expected e.g. '10/h' or '5/15m')")
    return int(amount), int(count or 1) * UNITS[unit]


def limit_for(action: str) -> tuple[int, int]:
    configured = {**DEFAULT_RATE_LIMITS, **getattr(settings, "RATE_LIMITS", {})}
    return parse_rate(configured[action])


def seconds_until_allowed(action: str, user_id: int) -> int:
    """Count one attempt; 0 if it is allowed, else the seconds until the window ends."""
    amount, window = limit_for(action)
    now = time.time()
    number = int(now // window)
    key = f"ratelimit:{action}:{user_id}:{number}"
    # The counter outlives its window a little, so a slow clock never resets it early.
    cache.add(key, 0, timeout=window + 60)
    try:
        count = cache.incr(key)
    except ValueError:
        # Expired between add and incr.
        cache.add(key, 1, timeout=window + 60)
        count = 1
    # None: Redis is unreachable and the cache fails open (settings CACHES). An alert
    # must still go out: the limits are against abuse, not outages.
    if count is None or count <= amount:
        return 0
    return max(1, math.ceil((number + 1) * window - now))


def too_many_requests(request: HttpRequest, retry_after: int | None = None) -> HttpResponse:
    """The 429 page; allauth renders the same ``429.html`` for its own limits."""
    response = render(request, "429.html", status=HTTPStatus.TOO_MANY_REQUESTS)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def rate_limited(action: str) -> Callable[[View], View]:
    """Answer 429 to a signed-in user's POSTs beyond the limit of ``action``.

    Put it inside ``login_required`` (or ``manager_required``): it counts per user.
    """

    def decorator(view: View) -> View:
        limit_for(action)  # a typo in the action or a bad setting fails at import

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if (
                request.method == "POST"
                and request.user.is_authenticated
                and (wait := seconds_until_allowed(action, request.user.pk))
            ):
                return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
