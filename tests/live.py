"""Real processes for the tests marked ``worker``, ``faults`` and ``bench``.

They run only where ``REDIS_URL`` is set and the database is PostgreSQL (CI's
second pass): a worker in another process cannot see an SQLite in-memory test
database. With ``GSV_REQUIRE_LIVE=1`` (set by .ci/run) a missing service fails
the test instead of skipping it, so CI cannot pass by skipping them.

``smtp_server`` runs a real SMTP server on loopback for such a worker to send to.
"""

from __future__ import annotations

import contextlib
import email
import email.message
import email.policy
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from notifications.alerts import delivery as alert_delivery
from notifications.outbox import pipeline

ROOT = Path(__file__).resolve().parent.parent
# The Message-ID of an alert's e-mail (notifications.channels.email).
MESSAGE_ID = re.compile(r"<delivery-(\d+)@[^>]+>")
# What the console SMS backend prints for each message it sends.
SMS_PRINTED = re.compile(r"SMS from \S+ to (\+\d+) \(reference: (\d+);")


def require_live_services() -> None:
    problems = []
    if not os.environ.get("REDIS_URL"):
        problems.append("REDIS_URL is not set")
    if connection.vendor != "postgresql":
        problems.append("the database is not PostgreSQL")
    if not problems:
        return
    reason = "needs a real broker and database: " + " and ".join(problems)
    if os.environ.get("GSV_REQUIRE_LIVE") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def worker_environment(**extra: str) -> dict[str, str]:
    """The environment of this test process, pointed at the test database."""
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


class Worker:
    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: list[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if " ready." in line:
                self.ready.set()

    @property
    def output(self) -> str:
        return "".join(self.lines)


@contextmanager
def celery_worker(*args: str, timeout: float = 30, **env: str) -> Iterator[Worker]:
    """Start ``celery worker`` in a child process; yield it once it is ready; stop it."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config.celery_app",
            "worker",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            *(args or ("--pool=solo",)),
        ],
        cwd=ROOT,
        env=worker_environment(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    worker = Worker(process)
    try:
        if not worker.ready.wait(timeout):
            raise AssertionError(f"the worker did not start in {timeout}s:\n{worker.output}")
        yield worker
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(predicate, timeout: float = 30, interval: float = 0.1):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"gave up waiting after {timeout}s")


# --- A real SMTP server on loopback ---------------------------------------------------------


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes  # the message as it came over the wire (DATA), CRLF line ends

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.content, policy=email.policy.default)  # type: ignore[return-value]


class SMTPSink:
    """An aiosmtpd handler that accepts and keeps every message.

    Subclasses may override ``refusal(stage, address)`` to answer a RCPT or DATA
    command with an error reply (e.g. ``"451 4.3.0 Try again later"``) instead.
    """

    def __init__(self) -> None:
        self.received: list[ReceivedMail] = []
        self.port = 0
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        """The value for ``EMAIL_URL`` that sends to this server."""
        return f"smtp://127.0.0.1:{self.port}"

    def refusal(self, stage: str, address: str) -> str | None:
        return None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        reply = self.refusal("RCPT", address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        for address in envelope.rcpt_tos:
            reply = self.refusal("DATA", address)
            if reply:
                return reply
        with self._lock:
            self.received.append(
                ReceivedMail(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.content)
            )
        return "250 Message accepted for delivery"

    def messages(self) -> list[ReceivedMail]:
        with self._lock:
            return list(self.received)


class _LoopbackController(Controller):
    """aiosmtpd's Controller on an ephemeral port.

    aiosmtpd 1.4.6 binds ``port=0`` fine but then connects to port 0 to check the
    server is up; read the bound port first, so no free port is guessed (and raced for).
    """

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@contextmanager
def smtp_server(sink: SMTPSink | None = None) -> Iterator[SMTPSink]:
    """Run an SMTP server on 127.0.0.1 (a free port) in a thread; yield its handler."""
    sink = sink or SMTPSink()
    # aiosmtpd logs every command at INFO: thousands of lines in a failed test's report.
    log = logging.getLogger("mail.log")
    level = log.level
    log.setLevel(logging.WARNING)
    controller = _LoopbackController(
        sink, hostname="127.0.0.1", port=0, server_hostname="sink.test", ready_timeout=10
    )
    controller.start()
    sink.port = controller.port
    try:
        yield sink
    finally:
        controller.stop()
        log.setLevel(level)


# --- Faults: a killed worker, a broker of the test's own, a database connection to cut ------


def kill(worker: Worker) -> None:
    """SIGKILL the worker (``--pool=solo``: one process) and wait until it is gone."""
    worker.process.kill()
    worker.process.wait(timeout=10)


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


class RedisServer:
    """A ``redis-server`` of the test's own, on loopback, that the test stops and starts."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10) -> None:
        self.process = subprocess.Popen(
            # Nothing kept on disk: a restarted server has lost every queued message.
            [
                "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--daemonize", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=timeout, interval=0.05)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe:
                probe.sendall(b"PING\r\n")
                return probe.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def redis_cache(settings, url: str) -> dict[str, dict[str, object]]:  # type: ignore[no-untyped-def]
    """CACHES for the production cache (config/settings.py) on the Redis at ``url``."""
    return {
        "default": {
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "gsv",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def celery_broker(url: str) -> Iterator[None]:
    """Queue this process's tasks on the broker at ``url`` for a while.

    Celery reads its broker from the settings once and keeps a connection pool,
    so the test settings fixture alone would not move it.
    """
    from config.celery_app import app

    def point_at(target: str) -> None:
        # Not closed: kombu keeps one pool per broker for the process, to be found again.
        app.conf.broker_url = target
        app._pool = None
        app.amqp._producer_pool = None

    previous = app.conf.broker_url
    point_at(url)
    try:
        yield
    finally:
        point_at(previous)


@contextmanager
def site_on_private_redis(settings) -> Iterator[tuple[RedisServer, SMTPSink, Worker]]:  # type: ignore[no-untyped-def]
    """This process (broker and cache) and a worker on a Redis of the test's own, which the
    test may stop and start; e-mail to an SMTP server on loopback. Ready once the
    worker has answered through that Redis."""
    from config.celery_app import HEARTBEAT_CACHE_KEY, heartbeat

    with redis_server() as redis, smtp_server() as sink, celery_broker(redis.url):
        settings.CACHES = redis_cache(settings, redis.url)
        with celery_worker(REDIS_URL=redis.url, EMAIL_URL=sink.url) as worker:
            heartbeat.delay()
            wait_for(lambda: cache.get(HEARTBEAT_CACHE_KEY), timeout=20)
            yield redis, sink, worker


class TCPProxy:
    """Forwards a loopback port to ``host:port``, one thread pair per connection.

    ``cut()`` drops every open connection and turns new ones away (accepted and
    closed at once, as a database that is restarting does) until ``restore()``:
    a database restart as seen by whoever connects through the proxy only.
    """

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.accepted = 0
        self.turned_away = 0
        self._up = threading.Event()
        self._up.set()
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return  # closed
            if not self._up.is_set():
                self.turned_away += 1
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            self.accepted += 1
            with self._lock:
                self._open |= {client, upstream}
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        self._drop(source, sink)

    def _drop(self, *sockets: socket.socket) -> None:
        for sock in sockets:
            with self._lock:
                self._open.discard(sock)
            # shutdown wakes the other pump thread, which close alone would not.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def cut(self) -> None:
        self._up.clear()
        with self._lock:
            open_now = list(self._open)
        self._drop(*open_now)

    def restore(self) -> None:
        self._up.set()

    def close(self) -> None:
        self.cut()
        self.listener.close()


@contextmanager
def tcp_proxy(host: str, port: int) -> Iterator[TCPProxy]:
    proxy = TCPProxy(host, port)
    try:
        yield proxy
    finally:
        proxy.close()


def go_live(settings) -> None:  # type: ignore[no-untyped-def]
    """Skip (or fail) without the live services; send tasks through the broker."""
    require_live_services()
    settings.CELERY_TASK_ALWAYS_EAGER = False


def sweep_with_no_worker_running() -> dict[str, int]:
    """The sweep, with every claim and every queued row taken as long overdue.

    Its waiting times are there to tell a dead worker from a slow one; a test
    that calls this knows the answer: no worker is running.
    """
    with (
        override_settings(DELIVERY_STALE_CLAIM_SECONDS=0),
        mock.patch.object(pipeline, "LOST_SEND", timedelta(0)),
    ):
        return alert_delivery.sweep()


def a_query_waits_for_a_lock() -> bool:
    """Whether some session of the test database is waiting for a lock (held by the test)."""
    with connection.cursor() as cursor:
        # Inside a transaction pg_stat_activity is a snapshot, taken at its first read.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


class RefusingSink(SMTPSink):
    """Refuses some addresses and counts every RCPT per address (``attempts``).

    ``rules`` maps an address to (stage, reply, times): at ``stage`` ("RCPT" or
    "DATA") the server answers ``reply`` for the address's first ``times``
    attempts, or always if ``times`` is None.
    """

    def __init__(self, rules: dict[str, tuple[str, str, int | None]]) -> None:
        super().__init__()
        self.rules = rules
        self.attempts: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()

    def refusal(self, stage: str, address: str) -> str | None:
        if stage == "RCPT":
            self.attempts[address] += 1
        if address not in self.rules:
            return None
        refused_at, reply, times = self.rules[address]
        if stage == refused_at and (times is None or self.refused[address] < times):
            self.refused[address] += 1
            return reply
        return None
