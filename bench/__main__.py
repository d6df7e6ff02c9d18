"""python -m bench <part> [options]: fanout, dispatch, email-cost, locate, pages, page-cpu,
page-instructions, after-alert, push or all.

See bench/__init__.py.
"""

from __future__ import annotations

import argparse
import os
import sys
from urllib.parse import urlsplit

import django

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/gsv_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"


def sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "part",
        choices=[
            "fanout",
            "dispatch",
            "email-cost",
            "locate",
            "pages",
            "page-cpu",
            "page-instructions",
            "after-alert",
            "push",
            "all",
        ],
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="a PostgreSQL database of the benchmark's own; its name must contain 'bench'. "
        "Created and migrated if missing, emptied before each part.",
    )
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="broker and cache")
    fanout = parser.add_argument_group("fanout")
    fanout.add_argument("--n", type=sizes, default=[1000, 10_000, 100_000], help="members")
    fanout.add_argument("--areas", type=int, default=20, help="areas the members live in")
    fanout.add_argument("--workers", type=int, default=4, help="Celery worker processes")
    fanout.add_argument("--sms-every", type=int, default=10, help="1 in this many texts")
    dispatching = parser.add_argument_group("dispatch")
    dispatching.add_argument("--dispatch-n", type=int, default=100_000, help="members")
    dispatching.add_argument(
        "--dispatch-workers", type=sizes, default=[1, 2, 4], help="processes, one run each"
    )
    parser.add_argument_group("email-cost").add_argument(
        "--cost-emails", type=int, default=2000, help="e-mails to time step by step"
    )
    locate = parser.add_argument_group("locate")
    locate.add_argument("--locate-areas", type=int, default=10_000)
    locate.add_argument("--points", type=int, default=10_000)
    locate.add_argument("--brute-points", type=int, default=500, help="points for brute force")
    pages = parser.add_argument_group("pages")
    pages.add_argument("--connections", type=int, default=50)
    pages.add_argument(
        "--seconds", type=int, default=10, help="of load per page, and per rate in after-alert"
    )
    pages.add_argument(
        "--web-workers", type=int, default=4, help="gunicorn workers (also after-alert)"
    )
    after = parser.add_argument_group("after-alert")
    after.add_argument("--members", type=int, default=100_000, help="members the alert goes to")
    after.add_argument("--sessions", type=int, default=2000, help="signed-in members who open it")
    after.add_argument(
        "--rates", type=sizes, default=[50, 100, 200, 400], help="requests/s, each for --seconds"
    )
    after.add_argument(
        "--search", type=int, default=2, help="more rates to narrow the highest that holds"
    )
    parser.add_argument_group("push").add_argument(
        "--push-n", type=int, default=10_000, help="members, each with one push device"
    )
    return parser.parse_args(argv)


def setup(database_url: str, redis_url: str) -> None:
    """Point Django (and the processes it starts) at the benchmark's own services."""
    name = urlsplit(database_url).path.lstrip("/")
    if not database_url.startswith(("postgres://", "postgresql://")) or "bench" not in name:
        sys.exit(f"refusing {database_url!r}: give a PostgreSQL database named *bench*")
    _create_database(database_url, name)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CELERY_TASK_ALWAYS_EAGER="false",
        DEBUG="false",
    )
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _create_database(url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(psycopg.conninfo.make_conninfo(url, dbname="postgres")) as db:
        db.autocommit = True
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    setup(args.database_url, args.redis_url)
    from bench.run import PARTS

    for part in PARTS if args.part == "all" else [args.part]:
        PARTS[part](args)


if __name__ == "__main__":
    main()
