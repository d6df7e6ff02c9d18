"""Pages: three of the busiest pages under load, served by gunicorn, loaded by wrk.

The public areas GeoJSON (1,000 areas), a member's inbox (500 alerts) and an
area contact's dashboard of their area (200 households). Logged-in pages get a
real session, created the way a login creates it, whose cookie wrk sends.
The SQL queries per request are counted with Django's test client at a tenth
of each size and at the full size, to show they do not grow with the rows.

The floor, in the same run: ``/healthz`` (one query, one cache read, every
middleware, no template) under the same load — the latency any page of this
stack has at best on this machine.

Where a request's cost lies: the CPU time gunicorn's workers and the database's
processes serving them used under load, per request (from /proc, so on Linux).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bench import seed
from config.celery_app import heartbeat
from notifications.alerts.models import Alert, AlertStatus, Channel, Delivery, Kind
from notifications.outbox.models import DeliveryStatus
from tests.live import ROOT, worker_environment
from watch.roles.models import AreaContact

WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Page:
    name: str
    size: int  # rows behind the page at full size
    rows: str
    signed_in: bool = False


PAGES = (
    Page("public areas GeoJSON", 1000, "areas"),
    Page("member's inbox", 500, "alerts", signed_in=True),
    Page("area contact's dashboard", 200, "households", signed_in=True),
)
FLOOR = Page("floor: /healthz", 0, "")

# Targets for the signed-in pages (issue 13): throughput as a share of the floor's in the
# same run, which machines and their load change far less than requests/s, and the time
# one request takes.
SIGNED_IN_SHARE_OF_FLOOR = 0.25
SIGNED_IN_ALONE_P95_MS = 10.0


@dataclass
class Target:
    path: str
    user: User | None


@dataclass
class Result:
    page: Page
    queries: tuple[int, int]  # at a tenth of the size, at the full size
    requests_per_s: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    # One connection at a time: the time one request takes, without queueing.
    alone_p50_ms: float = 0.0
    alone_p95_ms: float = 0.0
    # CPU time a request cost under load: gunicorn's workers, and the database's
    # processes serving them (Linux: /proc).
    web_cpu_ms: float = 0.0
    database_cpu_ms: float = 0.0

    def share_of(self, floor: Result) -> float:
        """Requests/s as a share of the floor's (/healthz) in the same run."""
        return self.requests_per_s / floor.requests_per_s if floor.requests_per_s else 0.0


def populate(scale: float) -> list[Target]:
    """The rows behind each page at ``scale`` times its size; the URL and user for each."""
    owner = seed.municipality()
    areas = seed.areas(owner, round(PAGES[0].size * scale))

    members = seed.members(areas[:1], 1, prefix="inbox")
    reader = User.objects.get(pk=members.user_ids[0])
    alerts = Alert.objects.bulk_create(
        Alert(
            kind=Kind.values[index % len(Kind.values)],
            title=f"Meddelande {index + 1}",
            body="Lås dörren och tänd lyset i *trapphuset*.",
            status=AlertStatus.SENT,
            created_at=timezone.now() - timedelta(hours=index),
        )
        for index in range(round(PAGES[1].size * scale))
    )
    # Where each went, as dispatch records it: an alert's page names it.
    Alert.areas.through.objects.bulk_create(
        Alert.areas.through(alert_id=alert.pk, watcharea_id=areas[0].pk) for alert in alerts
    )
    Delivery.objects.bulk_create(
        Delivery(
            alert=alert,
            user=reader,
            area=areas[0],
            channel=Channel.INAPP,
            status=DeliveryStatus.SENT,
            created_at=alert.created_at,
            # Every other one read, so the page shows both.
            read_at=alert.created_at if index % 2 else None,
        )
        for index, alert in enumerate(alerts)
    )

    area = areas[1]
    seed.members([area], round(PAGES[2].size * scale) * seed.MEMBERS_PER_HOUSEHOLD)
    contact = User.objects.create(email="kontaktombud@example.org", full_name="Kontakt Ombud")
    AreaContact.objects.create(area=area, user=contact, is_main=True)
    seed.analyze()
    return [
        Target(reverse("watch:areas_geojson"), None),
        Target(reverse("notifications:inbox"), reader),
        Target(reverse("watch:manage_area", args=[area.pk]), contact),
    ]


def count_queries(target: Target) -> int:
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    client = Client(HTTP_HOST=HOST)
    if target.user is not None:
        client.force_login(target.user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target.path)
    if response.status_code != 200:
        raise RuntimeError(f"{target.path} answered {response.status_code}")
    return len(queries)


def session_cookie(user: User | None) -> str:
    """The Cookie header of a session logged in as ``user``, as a login creates it."""
    if user is None:
        return ""
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Server:
    url: str  # the base URL
    pid: int  # gunicorn's master process


@contextmanager
def gunicorn(workers: int) -> Iterator[Server]:
    """gunicorn on loopback against the benchmark's database."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and the installed gunicorn
        [
            *(sys.executable, "-m", "gunicorn", "config.wsgi:application"),
            *("--bind", f"{HOST}:{port}", "--workers", str(workers), "--log-level", "warning"),
        ],
        cwd=ROOT,
        # WhiteNoise warns that collectstatic has not run; these pages need no static files.
        env=worker_environment(DEBUG="false", PYTHONWARNINGS="ignore::UserWarning"),
    )
    base = f"http://{HOST}:{port}"
    try:
        _wait_until_serving(f"{base}{reverse('watch:areas_geojson')}", process)
        yield Server(base, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_until_serving(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - http on loopback
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 30 s")


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (gunicorn's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def database_backends() -> list[int]:
    """PostgreSQL's processes serving the benchmark's database, but not this process."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall()]


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a process that ended took its time with it
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def drain(url: str, cookie: str) -> None:
    """Wait until gunicorn has worked off what a finished wrk run left in its queue.

    Requests on connections wrk has closed are still served; one more request
    is answered only after them, so the next run starts with an empty queue.
    """
    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http on loopback
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")


def wrk(url: str, cookie: str, *, connections: int, seconds: int) -> dict[str, int]:
    """Run wrk with latency percentiles; its Lua report line as a dict (times in µs)."""
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    finished = subprocess.run(  # noqa: S603 - wrk with our own arguments
        [
            *(_wrk_binary(), f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s"),
            *("--latency", "--timeout", "10s", "-s", str(WRK_SCRIPT), *headers, url),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in finished.stdout.splitlines() if line.startswith("BENCH "))
    return json.loads(line.removeprefix("BENCH "))


def _wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    return found


def run(
    *,
    reset: Callable[[], None],
    connections: int = 50,
    seconds: int = 10,
    web_workers: int = 4,
) -> list[Result]:
    reset()
    small = [count_queries(target) for target in populate(0.1)]
    reset()
    targets = populate(1.0)
    results = [
        Result(page, (few, count_queries(target)))
        for page, few, target in zip(PAGES, small, targets, strict=True)
    ]
    floor = Result(FLOOR, (1, 1))
    with gunicorn(web_workers) as server:
        for result, target in zip(results, targets, strict=True):
            url = server.url + target.path
            load(result, server, url, session_cookie(target.user), connections, seconds)
        # No Celery worker runs here: record the heartbeat one would, or /healthz answers 503.
        heartbeat()
        load(floor, server, server.url + reverse("healthz"), "", connections, seconds)
    return [*results, floor]


def load(
    result: Result, server: Server, url: str, cookie: str, connections: int, seconds: int
) -> None:
    """Measure ``url`` under ``connections`` at once, then one at a time, into ``result``."""
    # Warm-up: every gunicorn worker opens its connection and loads its templates.
    wrk(url, cookie, connections=connections, seconds=2)
    drain(url, cookie)
    web, database = children(server.pid), database_backends()
    before = cpu_seconds(web), cpu_seconds(database)
    report = wrk(url, cookie, connections=connections, seconds=seconds)
    drain(url, cookie)
    after = cpu_seconds(web), cpu_seconds(database)
    result.requests_per_s = report["requests"] / (report["duration_us"] / 1e6)
    # The drain's request counts too; it is one among thousands.
    result.web_cpu_ms, result.database_cpu_ms = (
        (end - start) * 1000 / report["requests"] for start, end in zip(before, after, strict=True)
    )
    result.p50_ms, result.p95_ms, result.p99_ms = (
        report[key] / 1000 for key in ("p50", "p95", "p99")
    )
    result.errors = report["errors"] + report["non2xx"]
    alone = wrk(url, cookie, connections=1, seconds=seconds)
    result.alone_p50_ms, result.alone_p95_ms = (alone[key] / 1000 for key in ("p50", "p95"))
    result.errors += alone["errors"] + alone["non2xx"]
