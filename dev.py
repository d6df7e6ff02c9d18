#!/usr/bin/env python3
"""The two commands of the quick start, needing nothing but Python 3.11+.

    python3 dev.py start    # virtualenv + pinned dependencies, migrate, demo data, serve
    python3 dev.py test     # the whole test suite (extra arguments go to pytest)

``python3 dev.py install`` does only the first part of ``start`` (CI uses it).

Both create ``.venv`` and install ``requirements-dev.txt`` (pinned, with hashes)
when it is missing or the lock file has changed since the last install.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements-dev.txt"
STAMP = VENV / ".requirements-dev.sha256"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(arg) for arg in args], cwd=ROOT, env=env, check=False)  # noqa: S603
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print(f"Creating the virtual environment in {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != digest:
        print("Installing the pinned dependencies …", flush=True)
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PYTHON, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", LOCK)
        STAMP.write_text(digest)


def start(port: int) -> None:
    ensure_environment()
    run(PYTHON, "manage.py", "migrate", "--noinput", "-v", "0")
    run(PYTHON, "manage.py", "load_demo")
    print(f"\nGrannsamverkan is at http://127.0.0.1:{port}/  (Ctrl+C stops it)\n", flush=True)
    run(PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}")


def test(pytest_args: list[str]) -> None:
    ensure_environment()
    run(PYTHON, "-m", "pytest", *pytest_args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    start_parser = commands.add_parser("start", help="install, load demo data and serve the site")
    start_parser.add_argument("--port", type=int, default=8000)
    commands.add_parser("test", help="run the test suite; extra arguments go to pytest")
    commands.add_parser("install", help="only create .venv and install the dependencies")
    args, rest = parser.parse_known_args()
    if args.command != "test" and rest:
        parser.error(f"unknown arguments: {' '.join(rest)}")
    if args.command == "start":
        start(args.port)
    elif args.command == "install":
        ensure_environment()
    else:
        test(rest)


if __name__ == "__main__":
    main()
