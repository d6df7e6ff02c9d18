#!/usr/bin/env python3
"""The two commands of the quick start, needing nothing but Python 3.11+.

    python3 dev.py start    # virtualenv + pinned dependencies, migrate, demo data, serve
    python3 dev.py test     # the whole test suite (extra arguments go to pytest)

``python3 dev.py install`` does only the first part of ``start`` (CI uses it);
``install --production`` makes ``.venv-production`` from ``requirements.txt`` alone,
the dependency set of the production image.

``python3 dev.py stack`` runs the production stack of docker-compose.yml on this
machine, for machines without Docker: the compose services' own commands (migrate and
gunicorn, one Celery worker, beat) with production settings against PostgreSQL and
Redis, behind Caddy with TLS, and an SMTP server on loopback that keeps every message
in a maildir in place of Mailpit (README "Production stack").

Environments are created when missing and reinstalled when their lock file changes.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
BIN = "Scripts" if os.name == "nt" else "bin"
DEV_VENV = ROOT / ".venv"
PRODUCTION_VENV = ROOT / ".venv-production"
PYTHON = DEV_VENV / BIN / "python"

# The commands of docker-compose.yml's web, worker and beat services, gunicorn's address
# left open: tests/test_compose.py holds compose to these.
WEB_COMMAND = (
    "python manage.py migrate --noinput"
    " && exec gunicorn config.wsgi:application --bind {bind}"
    " --access-logfile - --worker-tmp-dir /dev/shm"
)
WORKER_COMMAND = ["celery", "-A", "config.celery_app", "worker", "-l", "info", "--concurrency", "2"]
BEAT_COMMAND = [
    *("celery", "-A", "config.celery_app", "beat", "-l", "info"),
    *("--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"),
]
STACK_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/grannsamverkan_stack"
STACK_REDIS_URL = "redis://127.0.0.1:6379/13"
# RFC 2606: a domain that can never receive mail, should the sink ever be replaced.
STACK_FROM_EMAIL = "Grannsamverkan <grannsamverkan@example.com>"


def run(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(arg) for arg in args], cwd=ROOT, env=env, check=False)  # noqa: S603
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_environment(target: Path = DEV_VENV, lock_name: str = "requirements-dev.txt") -> Path:
    """``target`` with ``lock_name`` installed (pinned, hash-checked); its python."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    python = target / BIN / "python"
    lock = ROOT / lock_name
    stamp = target / f".{lock_name}.sha256"
    if not python.exists():
        print(f"Creating the virtual environment in {target} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(target)
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text().strip() != digest:
        print(f"Installing the pinned dependencies of {lock_name} …", flush=True)
        run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(python, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", lock)
        stamp.write_text(digest)
    return python


def ensure_production_environment() -> Path:
    return ensure_environment(PRODUCTION_VENV, "requirements.txt")


def start(port: int) -> None:
    ensure_environment()
    run(PYTHON, "manage.py", "migrate", "--noinput", "-v", "0")
    run(PYTHON, "manage.py", "load_demo")
    print(f"\nGrannsamverkan is at http://127.0.0.1:{port}/  (Ctrl+C stops it)\n", flush=True)
    run(PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}")


def test(pytest_args: list[str]) -> None:
    ensure_environment()
    run(PYTHON, "-m", "pytest", *pytest_args)


# --- The production stack without Docker ---------------------------------------------------


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def stack_environment(args: argparse.Namespace, state: Path, sink_port: int) -> dict[str, str]:
    """Production settings for this machine, as docker-compose.yml's x-app-env gives them."""
    secret_file = state / "secret_key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(50))
    site = f"https://localhost:{args.port}"
    return {
        **os.environ,
        "PATH": f"{PRODUCTION_VENV / BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "DJANGO_ENV": "production",
        "SECRET_KEY_FILE": str(secret_file),
        "DEFAULT_FROM_EMAIL": STACK_FROM_EMAIL,
        "ALLOWED_HOSTS": "localhost",
        "CSRF_TRUSTED_ORIGINS": site,
        "SITE_URL": site,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{sink_port}",
        "TRUSTED_PROXY_COUNT": "1",
        # HSTS is kept per host name, not per port: a year of it for "localhost" would
        # follow this browser to every other local site.
        "SECURE_HSTS_SECONDS": "0",
        "MEDIA_ROOT": str(state / "media"),
        # Collected into the stack's own folder: two stacks (a test's, on two CI workers)
        # writing one folder at once deleted each other's files mid-collectstatic.
        "STATIC_ROOT": str(state / "static"),
        "PYTHONUNBUFFERED": "1",
    }


def create_database(python: Path, env: dict[str, str]) -> None:
    """Create the stack's PostgreSQL database if it is missing (as compose's db image does)."""
    script = (
        "import os, psycopg\n"
        "from psycopg import sql\n"
        "from urllib.parse import urlsplit\n"
        "url = urlsplit(os.environ['DATABASE_URL'])\n"
        "name = url.path.lstrip('/')\n"
        "admin = url._replace(path='/postgres').geturl()\n"
        "with psycopg.connect(admin, autocommit=True) as conn:\n"
        "    found = conn.execute('SELECT 1 FROM pg_database WHERE datname = %s', [name])\n"
        "    if not found.fetchone():\n"
        "        conn.execute(sql.SQL('CREATE DATABASE {}').format(sql.Identifier(name)))\n"
    )
    run(python, "-c", script, env=env)


def wait_until_served(url: str, cafile: Path, processes: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            sys.exit("A part of the stack stopped while starting; see its output above.")
        try:
            context = ssl.create_default_context(cafile=cafile) if cafile.exists() else None
            with urllib.request.urlopen(url, timeout=2, context=context):  # noqa: S310 - our URL
                return
        except (OSError, urllib.error.URLError):
            time.sleep(0.5)
    sys.exit(f"The stack did not answer at {url} within two minutes.")


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 30
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def stack(args: argparse.Namespace) -> None:
    caddy = shutil.which("caddy")
    if caddy is None:
        sys.exit("The stack needs Caddy for TLS: apt-get install caddy (Debian 12 and later).")
    ensure_environment()  # the SMTP sink (aiosmtpd) is a development dependency
    python = ensure_production_environment()
    state = Path(args.state_dir).resolve()
    state.mkdir(parents=True, exist_ok=True)
    sink_port, web_port, http_port = free_port(), free_port(), free_port()
    env = stack_environment(args, state, sink_port)
    create_database(python, env)
    run(python, "manage.py", "collectstatic", "--noinput", "-v", "0", env=env)
    run(python, "manage.py", "migrate", "--noinput", "-v", "0", env=env)
    run(python, "manage.py", "load_demo", env=env)
    caddy_env = {
        **os.environ,
        "SITE_DOMAIN": "localhost",
        "UPSTREAM": f"127.0.0.1:{web_port}",
        "CADDY_HTTPS_PORT": str(args.port),
        "CADDY_HTTP_PORT": str(http_port),
        "XDG_DATA_HOME": str(state / "caddy-data"),
        "XDG_CONFIG_HOME": str(state / "caddy-config"),
    }
    mail = state / "mail"
    commands: list[tuple[list[str], dict[str, str]]] = [
        (
            [
                *(str(PYTHON), "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{sink_port}"),
                *("-c", "aiosmtpd.handlers.Mailbox", str(mail)),
            ],
            os.environ.copy(),
        ),
        (["sh", "-c", WEB_COMMAND.format(bind=f"127.0.0.1:{web_port}")], env),
        (WORKER_COMMAND, env),
        (BEAT_COMMAND, env),
        ([caddy, "run", "--config", "Caddyfile", "--adapter", "caddyfile"], caddy_env),
    ]
    processes: list[subprocess.Popen[bytes]] = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        for command, command_env in commands:
            processes.append(subprocess.Popen(command, cwd=ROOT, env=command_env))  # noqa: S603
        root_certificate = state / "caddy-data/caddy/pki/authorities/local/root.crt"
        site = f"https://localhost:{args.port}/"
        wait_until_served(f"{site}healthz/live", root_certificate, processes)
        print(
            f"\nThe production stack is at {site}  (Ctrl+C stops it)\n"
            f"  TLS certificate authority (Caddy's own): {root_certificate}\n"
            f"  e-mail it sends: the maildir {mail}\n",
            flush=True,
        )
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        sys.exit("A part of the stack stopped; stopping the rest.")
    except KeyboardInterrupt:
        pass
    finally:
        stop(processes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    start_parser = commands.add_parser("start", help="install, load demo data and serve the site")
    start_parser.add_argument("--port", type=int, default=8000)
    commands.add_parser("test", help="run the test suite; extra arguments go to pytest")
    install_parser = commands.add_parser("install", help="only create the virtual environment")
    install_parser.add_argument(
        "--production", action="store_true", help="make .venv-production from requirements.txt"
    )
    stack_parser = commands.add_parser("stack", help="the production stack, without Docker")
    stack_parser.add_argument("--port", type=int, default=8443, help="Caddy's HTTPS port")
    stack_parser.add_argument("--database-url", default=STACK_DATABASE_URL)
    stack_parser.add_argument("--redis-url", default=STACK_REDIS_URL)
    stack_parser.add_argument("--state-dir", default=str(ROOT / ".stack"))
    args, rest = parser.parse_known_args()
    if args.command != "test" and rest:
        parser.error(f"unknown arguments: {' '.join(rest)}")
    if args.command == "start":
        start(args.port)
    elif args.command == "install":
        ensure_production_environment() if args.production else ensure_environment()
    elif args.command == "stack":
        stack(args)
    else:
        test(rest)


if __name__ == "__main__":
    main()
