"""Real processes for the tests marked ``worker``, ``faults`` and ``bench``.

They run only where ``REDIS_URL`` is set and the database is PostgreSQL (CI's
second pass): a worker in another process cannot see an SQLite in-memory test
database. With ``GSV_REQUIRE_LIVE=1`` (set by .ci/run) a missing service fails
the test instead of skipping it, so CI cannot pass by skipping them.

``smtp_server`` runs a real SMTP server on loopback for such a worker to send to.
"""

from __future__ import annotations

import email
import email.message
import email.policy
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


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
