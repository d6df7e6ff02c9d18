"""Give each pytest-xdist worker a Redis database of its own (``-p tests.xdist_services``).

Loaded as a plugin, so it runs before pytest-django reads the settings. Two workers on
one Redis database would clear each other's cache between tests, and the Celery
workers that one worker's live tests start would take the other's tasks. Each xdist
worker (and every process it starts) already gets a test database of its own.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if worker.startswith("gw") and os.environ.get("REDIS_URL"):
    url = urlsplit(os.environ["REDIS_URL"])
    given = int(url.path.strip("/") or 0)
    # gw0 keeps the database it was given; gw1 takes the one below it, and so on.
    os.environ["REDIS_URL"] = url._replace(path=f"/{(given - int(worker[2:])) % 16}").geturl()
