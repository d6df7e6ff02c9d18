"""The settings module loaded in a fresh interpreter, with a chosen environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "ci-only-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ",
    "ALLOWED_HOSTS": "grannsamverkan.example.com",
    "REDIS_URL": "redis://127.0.0.1:6379/9",
    "DATABASE_URL": "postgres://user@127.0.0.1:5432/grannsamverkan",
    "DEFAULT_FROM_EMAIL": "Grannsamverkan <grannsamverkan@example.com>",
}
PASSTHROUGH = ("PATH", "HOME", "LANG", "SYSTEMROOT")


def load_settings(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {key: os.environ[key] for key in PASSTHROUGH if key in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", *(args or ("diffsettings",))],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
