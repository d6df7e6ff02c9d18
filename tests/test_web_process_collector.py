"""The web process leaves what loading the application made out of the garbage
collector's rounds (config/wsgi.py): a page of many rows then sets off cheaper full
collections (docs/performance.md, "an eighth round")."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.settings_process import PASSTHROUGH, ROOT

REPORT = "import gc, config.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"


def test_loading_the_web_application_freezes_what_loading_made() -> None:
    clean = {key: os.environ[key] for key in PASSTHROUGH if key in os.environ}
    loaded = subprocess.run(
        # WhiteNoise warns that the static files have not been collected: not built here.
        [sys.executable, "-W", "ignore", "-c", REPORT],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    frozen, still_collected = map(int, loaded.stdout.split())
    # Django, the project and their modules: tens of thousands of objects, none of
    # them left for the collector to walk again.
    assert frozen > 20_000
    assert still_collected < frozen // 100
