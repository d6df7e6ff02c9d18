"""Real processes for the tests marked ``worker``, ``faults`` and ``bench``.

They run only where ``REDIS_URL`` is set and the database is PostgreSQL (CI's
second pass): a worker in another process cannot see an SQLite in-memory test
database. With ``GSV_REQUIRE_LIVE=1`` (set by .ci/run) a missing service fails
the test instead of skipping it, so CI cannot pass by skipping them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
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
