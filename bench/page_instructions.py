"""Page instructions: what one request of each busy page costs the web process, counted
in machine instructions by Valgrind's callgrind instead of timed.

``page-cpu`` times the same requests, and ``pages`` loads them through a server. Both
wander by a tenth or more between runs of the same commit on a machine others share,
which is more than most changes to a page save. The instructions a page's request
executes barely move: the same commit, counted twice, differs by under one per cent. So
two commits, or a change and its undoing, compare in one run each. ``/healthz``'s count
wanders more, by up to a tenth, for a reason not found (it is mostly three round trips to
PostgreSQL and Redis): compare a page's counts, and read its times-the-floor as rough.

Each page (``page_cpu.targets``: the same rows, session cookies, DEBUG off, cached
templates, PostgreSQL and Redis) is requested in a child process under callgrind, which
counts what the interpreter executes: Django's WSGI handler, every middleware, the
template, the database and cache clients, not the database's or Redis's own work. The
child first makes a warm-up's requests and freezes the collector's heap as the web
process does (``config/wsgi.py``), then makes ``FEW`` requests in one run and ``MANY``
in another: the difference over ``MANY - FEW`` requests is one request's count, without
starting Python and Django.

Needs ``valgrind`` (Debian package ``valgrind``). The five pages took six minutes, two at a
time.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.page_cpu import Target

FEW, MANY = 20, 60
WARM_UP = 20
_COLLECTED = re.compile(r"Collected : (\d+)")


@dataclass(frozen=True)
class Result:
    name: str
    instructions: int  # per request

    def times(self, floor: Result) -> float:
        return self.instructions / floor.instructions


def measure() -> list[Result]:
    """Every page's instructions per request, the floor last (the caller empties the
    database). The pages are counted side by side, one per processor: a count does not
    depend on what else runs."""
    from bench import page_cpu

    targets = page_cpu.targets()
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise RuntimeError("valgrind is not installed (Debian: apt-get install valgrind)")
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        counts = list(pool.map(lambda target: _per_request(valgrind, target), targets))
    return [Result(target.name, count) for target, count in zip(targets, counts, strict=True)]


def _per_request(valgrind: str, target: Target) -> int:
    few, many = (
        instructions(
            valgrind,
            [sys.executable, "-m", "bench.page_instructions", target.path, target.cookie, str(n)],
            # Under callgrind a page takes fifty times as long, and a run of a slow one
            # outlasts the database connection's 60 s: a new connection, which a web
            # process makes once a minute among thousands of requests, would be counted
            # in one run and not in the other.
            DATABASE_CONN_MAX_AGE="3600",
        )
        for n in (FEW, MANY)
    )
    return round((many - few) / (MANY - FEW))


def instructions(valgrind: str, argv: list[str], **environment: str) -> int:
    """The instructions the program ``argv`` executed, start to end, as callgrind counts,
    run with ``environment`` added to this process's."""
    finished = subprocess.run(  # noqa: S603 - valgrind running our own interpreter
        [valgrind, "--tool=callgrind", f"--callgrind-out-file={os.devnull}", *argv],
        capture_output=True,
        text=True,
        check=True,
        # The parent's settings (bench.__main__.setup: the benchmark's database and
        # broker, DEBUG off), and one string hash for every run: a hash decides the order
        # of sets and dicts, and so a few of the instructions.
        env={**os.environ, "PYTHONHASHSEED": "0", **environment},
    )
    found = _COLLECTED.search(finished.stderr)
    if found is None:
        raise RuntimeError(f"callgrind reported no count for {argv}:\n{finished.stderr}")
    return int(found[1])


def configuration() -> str:
    return (
        f"Valgrind's callgrind, instructions of the web process per request: "
        f"({MANY} requests - {FEW}) / {MANY - FEW}, after {WARM_UP}; DEBUG off"
    )


def _child(path: str, cookie: str, requests: int) -> None:
    # Run as a module by ``_per_request``: Django is set up here, before the modules that
    # need it are imported.
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    from bench import page_cpu
    from config.celery_app import heartbeat

    # A worker's heartbeat, or /healthz answers 503: the parent's may be minutes old.
    heartbeat()
    request = page_cpu.requester(WSGIHandler(), page_cpu.Target(path, path, cookie))
    for _ in range(WARM_UP):
        request()
    gc.collect()
    gc.freeze()
    for _ in range(requests):
        request()


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2], int(sys.argv[3]))
