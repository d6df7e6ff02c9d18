"""Fan-out: one alert to N members through PostgreSQL, Redis and real Celery workers.

The alert goes out through ``notifications.services.send_alert``, as the web
form sends it; prefork Celery workers in child processes dispatch it and send
e-mail to a real SMTP server on loopback (aiosmtpd, in this process, counting
what arrives), SMS to the console backend, and in-app entries. The same run
measures the raw limits the pipeline is held against: a plain smtplib loop
sending the same number of messages over one connection to the same kind of
sink, and a bulk insert of as many Delivery rows.
"""

from __future__ import annotations

import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

from celery.app.task import Task
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from bench import seed
from config.celery_app import heartbeat
from notifications.alerts import delivery as alert_delivery
from notifications.alerts import services as alert_services
from notifications.alerts.models import (
    Alert,
    AlertStatus,
    Channel,
    Delivery,
    Kind,
    Severity,
    SkipReason,
    TargetKind,
)
from notifications.alerts.planning import CHUNK_SIZE
from notifications.outbox.models import DeliveryStatus
from tests.factories import official
from tests.live import ROOT, SMTPSink, Worker, celery_worker, smtp_server
from watch.areas.models import WatchArea
from watch.roles.models import OfficialKind

KIND = Kind.POLICE_ALERT
# The raw loop's rate is the same for any count past a few hundred messages, and one
# run of it varies by a quarter from the next on a shared machine: the limit is the
# median of three runs of up to this many messages.
RAW_SMTP_RUNS = 3
RAW_SMTP_MESSAGES = 20_000
PENDING = (DeliveryStatus.QUEUED, DeliveryStatus.SENDING)
MESSAGE_ID = re.compile(rb"^Message-ID: *<([^>]+)>", re.MULTILINE | re.IGNORECASE)


class CountingSink(SMTPSink):
    """Counts what arrives instead of keeping it: 100,000 messages would fill memory."""

    def __init__(self) -> None:
        super().__init__()
        self.per_address: Counter[str] = Counter()
        self.per_message_id: Counter[bytes] = Counter()
        self.sample = b""

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        found = MESSAGE_ID.search(envelope.content)
        with self._lock:
            self.per_address.update(envelope.rcpt_tos)
            self.per_message_id[found[1] if found else b""] += 1
            self.sample = self.sample or envelope.content
        return "250 Message accepted for delivery"

    @property
    def count(self) -> int:
        with self._lock:
            return self.per_address.total()


@dataclass
class Result:
    alert_id: int
    n: int
    areas: int
    workers: int
    send_s: float  # the send_alert call, as the web request makes it
    dispatched_s: float  # until dispatch had created and queued every delivery
    ranges: int  # the recipients' ranges of user ids, dispatched in parallel
    slices: int  # dispatch tasks over all ranges
    final_s: float  # until no delivery was queued or sending
    deliveries: Counter[tuple[str, str]]
    emails_at_sink: int
    rss_kb: dict[str, int]
    worker_cpu_s: float  # CPU time of the worker's processes, start-up included
    sample: bytes = field(default=b"", repr=False)  # one message as it came over the wire
    dispatch_queries: int = 0  # for all N recipients
    dispatch_fixed_queries: int = 0  # for one member: the part independent of N
    dispatch_alone_s: float = 0.0  # the same dispatch with nothing else running
    raw_smtp_rates: list[float] = field(default_factory=list)  # messages/s, one per run
    raw_insert_s: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def delivered(self) -> int:
        return sum(n for (_, status), n in self.deliveries.items() if status == DeliveryStatus.SENT)

    @property
    def raw_smtp_rate(self) -> float:
        return statistics.median(self.raw_smtp_rates)

    @property
    def rows(self) -> int:
        return self.deliveries.total()

    @property
    def queries_per_1000(self) -> float:
        """Dispatch queries per chunk of 1,000 recipients after the first, beyond those any
        alert costs."""
        return (self.dispatch_queries - self.dispatch_fixed_queries) / max(
            1, math.ceil(self.n / CHUNK_SIZE) - 1
        )


def worker_usage(pid: int) -> tuple[dict[str, int], float]:
    """Peak resident memory (VmHWM, kB) of a process and the largest of its children;
    the CPU seconds they have used between them."""
    children = [
        int(stat.parent.name)
        for stat in Path("/proc").glob("[0-9]*/stat")
        if _stat_fields(stat)[1:2] == [str(pid)]
    ]
    rss = {
        "main": _vm_hwm_kb(pid),
        "child": max((_vm_hwm_kb(child) for child in children), default=0),
    }
    ticks = sum(
        int(fields[11]) + int(fields[12])  # utime and stime
        for process in [pid, *children]
        if len(fields := _stat_fields(Path(f"/proc/{process}/stat"))) > 12
    )
    return rss, ticks / os.sysconf("SC_CLK_TCK")


def _stat_fields(stat: Path) -> list[str]:
    """The fields of /proc/<pid>/stat after "pid (comm)": state, ppid, …; comm may hold
    spaces and parentheses."""
    try:
        return stat.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _vm_hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def prepare(n: int, area_count: int, *, sms_every: int) -> tuple[Alert, User, seed.Members]:
    """N members in ``area_count`` areas and a draft police alert to all of them."""
    owner = seed.municipality()
    targets = seed.areas(owner, area_count)
    members = seed.members(targets, n, sms_every=sms_every, kind=KIND)
    police = official(OfficialKind.POLICE, owner, email="bench-polis@example.org")
    alert = Alert.objects.create(
        author=police,
        kind=KIND,
        severity=Severity.URGENT,
        title="Inbrottsvåg i området",
        body="Flera inbrott **i natt**. Lås dörrar och fönster, och ring 114 14 om du ser något.",
        target_kind=TargetKind.AREAS,
    )
    alert.target_areas.set(targets)
    seed.analyze()
    return alert, police, members


# Past a hundred thousand members the pace is what tells: a run that has not moved for
# this long has stopped (issue 19 saw a million-member dispatch stop for good at
# half), whatever time is left. The overall limit is four times the measured pace.
STALLED_S = 300


def timeout_for(n: int) -> float:
    return 600 + n / 250


def wait_until_final(alert: Alert, worker: Worker, timeout: float) -> None:
    pending = alert.deliveries.filter(status__in=PENDING)
    deadline = time.monotonic() + timeout
    next_report = time.monotonic() + 15
    last_seen: tuple[object, ...] = ()
    moved_at = time.monotonic()
    while time.monotonic() < deadline:
        alert.refresh_from_db(fields=["status"])
        # exists(), not count(): counting 100,000 rows five times a second loads the database.
        if alert.status == AlertStatus.SENT and not pending.exists():
            return
        if time.monotonic() > next_report:
            dispatched = sum(alert.dispatch_ranges.values_list("members", flat=True))
            seen = (alert.status, dispatched, pending.count())
            print(
                f"    … {alert.status}, {dispatched:,} members dispatched, "
                f"{seen[2]:,} deliveries pending",
                file=sys.stderr,
            )
            if seen != last_seen:
                last_seen, moved_at = seen, time.monotonic()
            elif time.monotonic() - moved_at > STALLED_S:
                raise AssertionError(f"no progress for {STALLED_S}s: {seen}")
            next_report += 15
        time.sleep(0.2)
    raise AssertionError(
        f"deliveries not final after {timeout:.0f}s: "
        f"{dict(Counter(alert.deliveries.values_list('channel', 'status')))};\n"
        f"worker output (tail):\n{worker.output[-3000:]}"
    )


@contextmanager
def counting_sink() -> Iterator[CountingSink]:
    """An SMTP server on loopback that counts what arrives."""
    sink = CountingSink()
    with smtp_server(sink):
        yield sink


def run(n: int, *, area_count: int = 20, workers: int = 4, sms_every: int = 10) -> Result:
    """Seed, send, wait until every delivery is final; then check and measure the limits."""
    alert, police, members = prepare(n, area_count, sms_every=sms_every)
    with (
        counting_sink() as sink,
        celery_worker(
            "--pool=prefork",
            f"--concurrency={workers}",
            EMAIL_URL=sink.url,
            SMS_BACKEND="notifications.sms.backends.ConsoleBackend",
            DEBUG="false",
        ) as worker,
    ):
        # A web process keeps its broker connection between requests: open it first.
        heartbeat.delay()
        started = time.perf_counter()
        with transaction.atomic():
            alert_services.send_alert(actor=police, alert=alert)
        send_s = time.perf_counter() - started
        wait_until_final(alert, worker, timeout=timeout_for(n))
        final_s = time.perf_counter() - started
        rss, cpu_s = worker_usage(worker.process.pid)
    alert.refresh_from_db()
    if alert.dispatched_at is None or alert.sent_at is None:
        raise RuntimeError(f"alert {alert.pk} is {alert.status} without its times")
    result = Result(
        alert_id=alert.pk,
        n=n,
        areas=area_count,
        workers=workers,
        send_s=send_s,
        dispatched_s=(alert.sent_at - alert.dispatched_at).total_seconds(),
        ranges=alert.dispatch_ranges.count(),
        slices=sum(alert.dispatch_ranges.values_list("slices", flat=True)),
        final_s=final_s,
        deliveries=Counter(alert.deliveries.values_list("channel", "status")),
        emails_at_sink=sink.count,
        rss_kb=rss,
        worker_cpu_s=cpu_s,
        sample=sink.sample,
        problems=check(alert, members, sink),
    )
    return result


def check(alert: Alert, members: seed.Members, sink: CountingSink) -> list[str]:
    """What is missing, duplicated or wrong: each member told once per chosen channel."""
    texting = set(members.sms_user_ids)
    expected = {}
    for user_id in members.user_ids:
        expected[user_id, Channel.EMAIL] = (DeliveryStatus.SENT, "")
        expected[user_id, Channel.INAPP] = (DeliveryStatus.SENT, "")
        expected[user_id, Channel.SMS] = (
            (DeliveryStatus.SENT, "")
            if user_id in texting
            else (DeliveryStatus.SKIPPED, SkipReason.OPTED_OUT)
        )
    rows = list(alert.deliveries.values_list("user_id", "channel", "status", "reason"))
    actual = {(user_id, channel): (status, reason) for user_id, channel, status, reason in rows}
    problems = []
    if len(rows) != len(actual):
        problems.append(f"{len(rows) - len(actual)} duplicate Delivery rows")
    if missing := expected.keys() - actual.keys():
        problems.append(f"{len(missing)} deliveries missing, e.g. {sorted(missing)[:3]}")
    if extra := actual.keys() - expected.keys():
        problems.append(f"{len(extra)} unexpected deliveries, e.g. {sorted(extra)[:3]}")
    if wrong := [key for key in expected.keys() & actual.keys() if actual[key] != expected[key]]:
        problems.append(
            f"{len(wrong)} deliveries not as expected, e.g. "
            + ", ".join(f"{key}: {actual[key]}" for key in wrong[:3])
        )
    addresses = dict(User.objects.filter(pk__in=members.user_ids).values_list("email", "pk"))
    if absent := addresses.keys() - sink.per_address.keys():
        problems.append(f"{len(absent)} members got no e-mail, e.g. {sorted(absent)[:3]}")
    if twice := {address: k for address, k in sink.per_address.items() if k > 1}:
        problems.append(f"{len(twice)} members got e-mail more than once: {list(twice)[:3]}")
    if strangers := sink.per_address.keys() - addresses.keys():
        problems.append(f"e-mail to {len(strangers)} non-members: {sorted(strangers)[:3]}")
    if resent := {mid: k for mid, k in sink.per_message_id.items() if k > 1}:
        problems.append(f"{len(resent)} Message-IDs arrived more than once")
    return problems


def dispatch_alone(alert: Alert, areas: list[WatchArea]) -> tuple[int, float]:
    """SQL queries and seconds of ``alert_delivery.dispatch`` for a copy of ``alert`` to ``areas``.

    In this process, with no send task competing for the CPUs.

    Sending is stubbed out (nothing reaches the broker); the queries that choose
    what to enqueue still run. The copy and its deliveries are removed after.
    """
    copy = Alert.objects.create(
        author=alert.author,
        kind=alert.kind,
        severity=alert.severity,
        title=alert.title,
        body=alert.body,
        target_kind=alert.target_kind,
        status=AlertStatus.SENDING,
    )
    copy.target_areas.set(areas)
    try:
        with (
            mock.patch.object(Task, "apply_async", return_value=None),
            CaptureQueriesContext(connection) as queries,
        ):
            started = time.perf_counter()
            alert_delivery.dispatch_here(copy.pk)
            seconds = time.perf_counter() - started
        return len(queries), seconds
    finally:
        copy.delete()


def raw_smtp(count: int, message: bytes) -> float:
    """Seconds for a plain smtplib loop in a child process to send ``count`` messages."""
    with counting_sink() as sink, tempfile.NamedTemporaryFile() as file:
        file.write(message)
        file.flush()
        finished = subprocess.run(  # noqa: S603 - our own interpreter and module
            [
                sys.executable,
                "-m",
                "bench.smtpflood",
                "127.0.0.1",
                str(sink.port),
                str(count),
                file.name,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        if sink.count != count:
            raise RuntimeError(f"the sink counted {sink.count} of {count} messages")
    return float(finished.stdout.strip())


def raw_insert(alert: Alert, user_ids: list[int]) -> tuple[float, int]:
    """Seconds to bulk-insert one Delivery per (member, channel), as plain as dispatch's."""
    area_id = WatchArea.objects.values_list("pk", flat=True).first()
    copy = Alert.objects.create(
        author=alert.author,
        kind=alert.kind,
        title=alert.title,
        body=alert.body,
        status=AlertStatus.SENT,
    )
    rows = [
        Delivery(alert=copy, user_id=user_id, area_id=area_id, channel=channel, status="sent")
        for user_id in user_ids
        for channel in Channel.values
    ]
    try:
        started = time.perf_counter()
        Delivery.objects.bulk_create(rows, batch_size=len(Channel.values) * CHUNK_SIZE)
        return time.perf_counter() - started, len(rows)
    finally:
        copy.delete()


def measure(n: int, *, area_count: int, workers: int, sms_every: int) -> Result:
    """The full benchmark for one N: the pipeline, then the raw limits and the query count."""
    result = run(n, area_count=area_count, workers=workers, sms_every=sms_every)
    alert = Alert.objects.get(pk=result.alert_id)
    # The pipeline's own message, as it came over the wire, re-sent raw.
    count = min(n, RAW_SMTP_MESSAGES)
    result.raw_smtp_rates = [
        count / raw_smtp(count, result.sample) for _run in range(RAW_SMTP_RUNS)
    ]
    user_ids = list(alert.deliveries.values_list("user_id", flat=True).distinct())
    result.raw_insert_s, _rows = raw_insert(alert, user_ids)
    areas = list(alert.target_areas.all())
    result.dispatch_queries, result.dispatch_alone_s = dispatch_alone(alert, areas)
    # One member: what any alert costs, its range and one slice included.
    single = seed.areas(areas[0].municipality, 1, prefix="Ett hushåll")
    seed.members(single, 1, prefix="bench-single")
    result.dispatch_fixed_queries, _seconds = dispatch_alone(alert, single)
    return result
