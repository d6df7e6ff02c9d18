"""Page CPU: what one request of each busy page costs the web process, without a server.

The rows of ``bench.pages`` (an inbox of 500 alerts, a dashboard of 200 households),
each page requested through Django's own WSGI handler — every middleware, a real
session cookie, the benchmark's PostgreSQL and Redis, DEBUG off, cached templates —
and the process's CPU time (``time.process_time``) per request: the median of five
rounds of a hundred after a warm-up. CPU time, unlike requests/s, holds steady on a
machine others share, so two commits can be compared in turns. ``/healthz`` is the floor,
an inbox with no alerts shows what a signed-in page costs before its list, and the
newest alert's page is what members open after an alert (read after the first
opening: a second look, without the write).
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse

from accounts.models import User
from bench import pages
from config.celery_app import heartbeat
from notifications.alerts.models import Delivery

ROUNDS = 5
PER_ROUND = 100
WARM_UP = 50


@dataclass(frozen=True)
class Result:
    name: str
    rounds_ms: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.rounds_ms)


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    cookie: str  # a signed-in session's Cookie header, or empty


def targets() -> list[Target]:
    """The pages on rows made here (the caller empties the database), the floor last."""
    _geojson, inbox, dashboard = pages.populate(1.0)
    empty = User.objects.create(email="tom.inkorg@example.org", full_name="Tom Inkorg")
    newest = Delivery.objects.filter(user=inbox.user).latest("created_at")
    # No Celery worker runs here: record the heartbeat one would, or /healthz answers 503.
    heartbeat()
    return [
        Target(name, path, pages.session_cookie(user))
        for name, path, user in [
            ("member's inbox, 500 alerts", inbox.path, inbox.user),
            ("member's inbox, empty", reverse("notifications:inbox"), empty),
            (
                "an alert, from the inbox",
                reverse("notifications:inbox_entry", args=[newest.pk]),
                inbox.user,
            ),
            ("area contact's dashboard, 200 households", dashboard.path, dashboard.user),
            ("floor: /healthz", reverse("healthz"), None),
        ]
    ]


def measure() -> list[Result]:
    """Every page's CPU per request (the caller empties the database)."""
    handler = WSGIHandler()
    return [_measure(target.name, requester(handler, target)) for target in targets()]


def requester(handler: WSGIHandler, target: Target) -> Callable[[], None]:
    """One GET of the target through ``handler``, as a browser with its cookie sends it."""
    path, cookie = target.path, target.cookie

    def request() -> None:
        statuses: list[str] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: object = None, /
        ) -> Callable[[bytes], object]:
            statuses.append(status)
            return lambda data: None

        response = handler(
            {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": path,
                "QUERY_STRING": "",
                "SERVER_NAME": pages.HOST,
                "SERVER_PORT": "80",
                "HTTP_HOST": pages.HOST,
                "HTTP_COOKIE": cookie,
                "REMOTE_ADDR": pages.HOST,
                "wsgi.url_scheme": "http",
                "wsgi.input": io.BytesIO(),
                "wsgi.errors": sys.stderr,
            },
            start_response,
        )
        b"".join(response)
        response.close()
        if not statuses[0].startswith("200"):
            raise RuntimeError(f"{path} answered {statuses[0]}")

    return request


def _measure(name: str, request: Callable[[], None]) -> Result:
    for _ in range(WARM_UP):
        request()
    rounds = []
    for _ in range(ROUNDS):
        start = time.process_time()
        for _ in range(PER_ROUND):
            request()
        rounds.append((time.process_time() - start) * 1000 / PER_ROUND)
    return Result(name, rounds)


def configuration() -> str:
    return (
        f"Django's WSGI handler in this process, DEBUG {settings.DEBUG}, "
        f"median of {ROUNDS} rounds of {PER_ROUND} requests after {WARM_UP}"
    )
