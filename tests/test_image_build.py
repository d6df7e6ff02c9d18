"""The Dockerfile's build steps succeed with the image's own environment, without Docker.

Every RUN after ``COPY . .`` (the steps that touch the project: collectstatic and
compileall) runs here in a copy of the build context — the tracked files that
.dockerignore lets through — with exactly the variables the Dockerfile gives it
(its ENV lines and the RUN's own assignments, nothing from this process), and with
``python`` from ``.venv-production``: a virtual environment made from
requirements.txt alone, the image's dependency set.
"""

from __future__ import annotations

import fnmatch
import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.dockerfile import dockerfile_instructions

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_BIN = ROOT / ".venv-production" / "bin"


def build_context() -> list[str]:
    """The tracked files a ``docker build .`` would send, by .dockerignore's patterns."""
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, text=True
    ).stdout.split("\0")

    def ignored(path: str) -> bool:
        parts = path.split("/")
        prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        return any(
            fnmatch.fnmatch(prefix, pattern.removeprefix("**/"))
            or fnmatch.fnmatch(parts[-1], pattern.removeprefix("**/"))
            for pattern in patterns
            for prefix in prefixes
        )

    return [path for path in tracked if path and not ignored(path)]


def project_steps() -> list[tuple[dict[str, str], str]]:
    """(environment, shell command) of every RUN after ``COPY . .``."""
    env: dict[str, str] = {}
    steps = []
    copied = False
    for keyword, arguments in dockerfile_instructions():
        if keyword == "ENV":
            words = shlex.split(arguments)
            env |= dict(word.split("=", 1) for word in words)
        elif keyword == "COPY" and arguments == ". .":
            copied = True
        elif keyword == "RUN" and copied:
            steps.append((dict(env), arguments))
    return steps


def test_the_project_steps_are_found():
    commands = [command for _env, command in project_steps()]
    assert len(commands) == 1
    assert "manage.py collectstatic" in commands[0]
    assert "compileall" in commands[0]


def test_the_image_build_steps_succeed_with_the_image_s_environment(tmp_path):
    if not (PRODUCTION_BIN / "python").exists():
        reason = "needs .venv-production: python3 dev.py install --production"
        if os.environ.get("GSV_REQUIRE_LIVE") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    app = tmp_path / "app"
    for name in build_context():
        (app / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, app / name)
    assert not (app / "tests").exists()
    assert not (app / "dev.py").exists()

    for env, command in project_steps():
        result = subprocess.run(
            ["/bin/sh", "-c", command],
            cwd=app,
            env={
                # What the python:3.11-slim base image sets, with our interpreter first.
                "PATH": f"{PRODUCTION_BIN}:/usr/local/bin:/usr/bin:/bin",
                "LANG": "C.UTF-8",
                "HOME": str(tmp_path),
                **env,
            },
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"

    manifest = json.loads((app / "staticfiles" / "staticfiles.json").read_text())
    assert {"css/site.css", "js/maps.js"} <= set(manifest["paths"])
    assert list((app / "config").glob("__pycache__/settings.*.pyc"))
