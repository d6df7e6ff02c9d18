"""Tables and the configuration block every part prints with its figures."""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import django
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table, so the output can go into the README as it is."""
    cells = [[str(h) for h in headers], *[[_cell(value) for value in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "| " + " | ".join(value.rjust(widths[i]) for i, value in enumerate(row)) + " |"
        for row in cells
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def git_commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(  # noqa: S603 - fixed arguments
            ["git", *args],  # noqa: S607 - git from PATH, as a developer runs it
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{commit} (uncommitted changes)" if git("status", "--porcelain") else commit


def database() -> str:
    db = settings.DATABASES["default"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            version = connection.vendor
    return f"{version}, {db['HOST'] or 'local'}:{db['PORT'] or ''}/{db['NAME']}"


def broker() -> str:
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis"):
        return url
    import redis

    info = redis.Redis.from_url(url).info("server")
    return f"Redis {info['redis_version']}, {url.split('@')[-1]}"


def configuration(**extra: object) -> str:
    """The exact setting of a run: code, machine, services and the part's own parameters."""
    lines = {
        "git commit": git_commit(),
        "date (UTC)": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} CPUs, load {', '.join(f'{x:.2f}' for x in os.getloadavg())}",
        "python / django": f"{platform.python_version()} / {django.get_version()}",
        "database": database(),
        "broker": broker(),
        **{key: str(value) for key, value in extra.items()},
    }
    width = max(len(key) for key in lines)
    return "\n".join(f"  {key.ljust(width)}  {value}" for key, value in lines.items())
