"""After an alert: signed-in members open their inbox entry, at constant rates.

A police alert goes to every member (100,000 by default, in 20 areas); then the
entries of a sample of them (2,000 by default, spread evenly over the members),
each with a session of their own, are opened at fixed rates — 50, 100, 200 and
400 requests/s — with ``/healthz`` under the same schedule as the floor. The
figure that matters is the highest rate whose p95 stays under 200 ms.

The alert goes out the way the web form sends it: ``send_alert`` (the permission
check, the status, the audit rows), then ``notifications.alerts.delivery.dispatch``,
the body of the task it queues, in this process. Not a set-based insert of our
own: dispatch is itself set-based (a bulk insert per 1,000 recipients, some 20 s
at 100,000), and only its rows are sure to be what members have after a real
alert — the in-app entry written as sent, its area, the alert's areas and
municipalities that the entry page names. Nothing reaches the broker (``apply_async``
is stubbed, as in ``fanout.dispatch_alone``): no worker runs here, so the e-mail
and SMS deliveries stay queued; this part measures the web processes alone.

Each session is created as a login creates it (``pages.session_cookie``), and the
entries are made unread again before each run, so a member's first opening writes
``read_at`` as it would.

The load: wrk with ``wrk_paced.lua``, which rotates the members' cookies and entry
URLs, holds each request until it is due and counts its latency from then
(wrk2-style, no coordinated omission). One wrk connection per thread, as many as
the rate (at most 256), so a connection's requests are a second or more apart
and a slow answer delays the next one on it only when it is far over 200 ms.

gunicorn (sync workers, DEBUG off) serves behind Caddy with the project's own
Caddyfile on plain HTTP, as in production: a sync worker that accepts a connection
waits for its request, so wrk's connections, which open before their request is
due, would hold workers idle if they reached gunicorn directly; Caddy keeps them
and opens one to gunicorn per request, as it does for browsers.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

from celery.app.task import Task
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from bench import fanout, seed
from bench.pages import HOST, drain, free_port, gunicorn, session_cookie
from config.celery_app import heartbeat
from notifications.alerts import delivery as alert_delivery
from notifications.alerts import services as alert_services
from notifications.alerts.models import Alert, Channel, Delivery
from tests.live import ROOT

WRK_SCRIPT = Path(__file__).with_name("wrk_paced.lua")
RATES = (50, 100, 200, 400)
P95_LIMIT_MS = 200.0
AREAS = 20
# wrk_paced.lua's LEAD_US: wrk starts its threads before the first request is due.
LEAD_S = 1.0
MAX_CONNECTIONS = 256
# Before the runs: every gunicorn worker connects to the database and loads its templates.
WARM_UP_RATE = 50
WARM_UP_S = 2.0
# Members whose session asks for another member's entry, to see it refused.
STRANGERS = 10

# The assumed first ten minutes after an alert to every member (README "The minutes
# after an alert"): half of the members open their entry within ten minutes, half of
# those within the first two, one page each.
OPEN_SHARE = 0.5
EARLY_SHARE = 0.5
EARLY_S = 120


@dataclass(frozen=True)
class Visit:
    path: str
    cookie: str  # the Cookie header; empty for none


@dataclass(frozen=True)
class Scenario:
    alert: Alert
    visits: list[Visit]  # each member's own entry, with their session
    entry_ids: list[int]
    seed_s: float
    dispatch_s: float
    sessions_s: float


@dataclass
class Run:
    page: str
    rate: int  # scheduled requests/s
    scheduled: int
    ok: int  # a 200 with the page expected
    errors: int  # any other answer, or a request sent again after a socket error
    latencies_ms: list[float] = field(repr=False)  # from when each request was due
    unanswered_waited_ms: list[float] = field(repr=False)  # by when wrk was stopped
    requests_per_s: float  # answered, from the first request due to the last answer
    search: bool = False  # a rate tried to find the highest that holds

    @property
    def unanswered(self) -> int:
        return len(self.unanswered_waited_ms)

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile; an unanswered request counts with what it had waited."""
        values = sorted(self.latencies_ms + self.unanswered_waited_ms)
        return values[max(0, math.ceil(share * len(values)) - 1)] if values else math.nan

    @property
    def holds(self) -> bool:
        return (
            self.percentile(0.95) < P95_LIMIT_MS
            and self.errors == 0
            and self.unanswered == 0
            and self.ok == self.scheduled
        )


@dataclass
class Report:
    members: int
    sessions: int
    web_workers: int
    seconds: float
    scenario: Scenario
    strangers_tried: int = 0
    strangers_refused: int = 0  # answered 404
    entries: list[Run] = field(default_factory=list)
    floors: list[Run] = field(default_factory=list)

    @property
    def highest(self) -> int | None:
        """The highest rate that held, every lower rate tried having held too."""
        best = None
        for run in sorted(self.entries, key=lambda run: run.rate):
            if not run.holds:
                break
            best = run.rate
        return best


@dataclass(frozen=True)
class Sizing:
    peak_per_s: float  # entries opened per second in the first minutes
    per_cpu_per_s: float  # what one CPU of this machine held, everything else on it included
    cpus: int
    processes: int  # gunicorn workers, as many per CPU as in the run


def sizing(report: Report, cpus: int) -> Sizing | None:
    if report.highest is None:
        return None
    peak = report.members * OPEN_SHARE * EARLY_SHARE / EARLY_S
    per_cpu = report.highest / cpus
    needed = math.ceil(peak / per_cpu)
    return Sizing(peak, per_cpu, needed, needed * math.ceil(report.web_workers / cpus))


def send(alert: Alert, actor: User) -> int:
    """``alert`` sent as the web form sends it, and dispatched here; nothing is queued."""
    with mock.patch.object(Task, "apply_async", return_value=None):
        with transaction.atomic():
            alert_services.send_alert(actor=actor, alert=alert)
        return alert_delivery.dispatch_here(alert.pk)


def prepare(members: int, sessions: int) -> Scenario:
    """Members, the alert to all of them, and ``sessions`` of them signed in."""
    started = time.perf_counter()
    alert, police, seeded = fanout.prepare(members, AREAS, sms_every=10)
    seeded_s = time.perf_counter() - started
    started = time.perf_counter()
    told = send(alert, police)
    dispatch_s = time.perf_counter() - started
    if told != members:
        raise RuntimeError(f"dispatch told {told} of {members} members")
    started = time.perf_counter()
    readers = seeded.user_ids[:: max(1, members // sessions)][:sessions]
    entries = dict(
        Delivery.objects.filter(
            alert=alert, channel=Channel.INAPP, user_id__in=readers
        ).values_list("user_id", "pk")
    )
    users = User.objects.in_bulk(readers)
    # One transaction for all the logins: a commit each, waiting for the disk, would
    # take 10 to 40 ms apiece here.
    with transaction.atomic():
        visits = [
            Visit(
                reverse("notifications:inbox_entry", args=[entries[reader]]),
                session_cookie(users[reader]),
            )
            for reader in readers
        ]
    sessions_s = time.perf_counter() - started
    seed.analyze()
    return Scenario(
        alert, visits, [entries[reader] for reader in readers], seeded_s, dispatch_s, sessions_s
    )


@contextmanager
def caddy(upstream: str) -> Iterator[str]:
    """Caddy with the project's Caddyfile, plain HTTP on loopback, in front of ``upstream``."""
    binary = shutil.which("caddy")
    if binary is None:
        raise RuntimeError("Caddy is not installed (Debian: apt-get install caddy)")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-caddy-") as state:
        log = Path(state, "caddy.log")
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 - the installed Caddy, our own Caddyfile
                [binary, "run", "--config", "Caddyfile", "--adapter", "caddyfile"],
                cwd=ROOT,
                env={
                    **os.environ,
                    "SITE_DOMAIN": f"http://{HOST}:{port}",
                    "CADDY_HTTP_PORT": str(port),
                    "CADDY_HTTPS_PORT": str(free_port()),
                    "UPSTREAM": upstream,
                    "XDG_DATA_HOME": str(Path(state, "data")),
                    "XDG_CONFIG_HOME": str(Path(state, "config")),
                },
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        base = f"http://{HOST}:{port}"
        try:
            _wait_for(f"{base}/healthz/live", process, log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=20)


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Caddy exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - http on loopback
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"Caddy did not answer within 30 s:\n{log.read_text()}")


@contextmanager
def serving(web_workers: int) -> Iterator[str]:
    """gunicorn behind Caddy; yields Caddy's base URL."""
    with gunicorn(web_workers) as upstream, caddy(urlsplit(upstream.url).netloc) as base:
        yield base


def write_visits(visits: Sequence[Visit], directory: str, name: str) -> Path:
    """The lines wrk_paced.lua reads: path, tab, Cookie header."""
    path = Path(directory, name)
    path.write_text("".join(f"{visit.path}\t{visit.cookie}\n" for visit in visits))
    return path


def paced(
    base: str,
    visits: Path,
    *,
    page: str,
    rate: int,
    seconds: float,
    grace: float,
    marker: str = "",
) -> Run:
    """wrk at ``rate`` requests/s for ``seconds``, then up to ``grace`` s for the last answers."""
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    scheduled = round(rate * seconds)
    connections = min(scheduled, rate, MAX_CONNECTIONS)
    stop_after = LEAD_S + seconds + grace
    process = subprocess.Popen(  # noqa: S603 - wrk with our own arguments
        [
            *(binary, f"-t{connections}", f"-c{connections}"),
            # wrk's own end, as a last resort: it is stopped when every request is answered.
            *(f"-d{math.ceil(stop_after) + 10}s", "-s", str(WRK_SCRIPT), base),
            *("--", str(visits), str(rate), str(seconds), str(connections), marker),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    finished = threading.Event()

    def read() -> None:
        assert process.stdout is not None  # noqa: S101 - set by stdout=PIPE
        for line in process.stdout:
            lines.append(line)
            if sum(line == "FINISHED\n" for line in lines) == connections:
                finished.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    finished.wait(stop_after)
    # SIGINT ends wrk's run early; it still reports, done() included.
    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)
    reader.join(timeout=10)
    return _run(page, rate, scheduled, lines)


def _run(page: str, rate: int, scheduled: int, lines: list[str]) -> Run:
    found = [line for line in lines if line.startswith("BENCH ")]
    if not found:
        raise RuntimeError("wrk reported nothing:\n" + "".join(lines))
    report = json.loads(found[0].removeprefix("BENCH "))
    latencies = [us / 1000 for us in report["latencies_us"]]
    answered_s = (report["last_answer_us"] - report["first_due_us"]) / 1e6
    return Run(
        page=page,
        rate=rate,
        scheduled=scheduled,
        ok=report["ok"],
        errors=report["errors"] + report["resent"] + report["socket_errors"],
        latencies_ms=latencies,
        unanswered_waited_ms=[us / 1000 for us in report["unanswered_waited_us"]],
        requests_per_s=len(latencies) / answered_s if answered_s > 0 else 0.0,
    )


def strangers(base: str, visits: Sequence[Visit], count: int) -> tuple[int, int]:
    """Ask with ``count`` members' sessions for the next member's entry: (tried, refused)."""
    refused = 0
    tried = min(count, len(visits) - 1)
    for own, other in itertools.pairwise(visits[: tried + 1]):
        request = urllib.request.Request(base + other.path, headers={"Cookie": own.cookie})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30):  # noqa: S310 - http on loopback
                pass
        except urllib.error.HTTPError as error:
            refused += error.code == 404
    return tried, refused


def run(
    *,
    members: int,
    sessions: int,
    rates: Sequence[int] = RATES,
    seconds: float = 10.0,
    grace: float = 5.0,
    web_workers: int = 4,
    search: int = 2,
) -> Report:
    """The alert, the sessions, then each rate for the entries and for the floor.

    After ``rates``, ``search`` more rates for the entries alone: halfway between
    the highest that held and the lowest that did not, or twice the highest if all held.
    """
    scenario = prepare(members, sessions)
    report = Report(members, sessions, web_workers, seconds, scenario)
    marker = scenario.alert.title
    entries = Delivery.objects.filter(pk__in=scenario.entry_ids)
    with serving(web_workers) as base, tempfile.TemporaryDirectory(prefix="bench-") as directory:
        own = write_visits(scenario.visits, directory, "entries")
        floor = write_visits([Visit(reverse("healthz"), "")], directory, "healthz")
        first = scenario.visits[0]
        report.strangers_tried, report.strangers_refused = strangers(
            base, scenario.visits, STRANGERS
        )
        warm = paced(
            base,
            own,
            page="warm-up",
            rate=WARM_UP_RATE,
            seconds=WARM_UP_S,
            grace=grace,
            marker=marker,
        )
        if warm.ok != warm.scheduled:
            raise RuntimeError(f"warm-up: {warm.ok} of {warm.scheduled} entries answered as such")

        def measure(rate: int, *, searching: bool = False) -> None:
            drain(base + first.path, first.cookie)
            entries.update(read_at=None)
            result = paced(
                base,
                own,
                page="inbox entry",
                rate=rate,
                seconds=seconds,
                grace=grace,
                marker=marker,
            )
            result.search = searching
            report.entries.append(result)
            if not searching:
                # No Celery worker runs here: record the heartbeat one would, or /healthz is a 503.
                heartbeat()
                drain(base + reverse("healthz"), "")
                report.floors.append(
                    paced(
                        base, floor, page="floor: /healthz", rate=rate, seconds=seconds, grace=grace
                    )
                )

        for rate in rates:
            measure(rate)
        for _step in range(search):
            held = report.highest or 0
            failed = min((r.rate for r in report.entries if r.rate > held), default=None)
            rate = held * 2 if failed is None else (held + failed) // 2
            if rate in {r.rate for r in report.entries}:
                break
            measure(rate, searching=True)
        drain(base + first.path, first.cookie)
    return report
