"""The Celery application.

Settings come from Django's settings under the ``CELERY_`` prefix (see
config/settings.py): JSON only, explicit time limits, late acknowledgement and
django-celery-beat's database scheduler.
"""

from __future__ import annotations

import os

from celery import Celery, Task, signals
from django.core.cache import cache
from django.db import close_old_connections
from django.utils import timezone

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("grannsamverkan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

HEARTBEAT_CACHE_KEY = "celery-heartbeat"


@signals.task_prerun.connect
@signals.task_postrun.connect
def close_obsolete_connections(sender: Task, **_kwargs: object) -> None:
    """What Django does around each request: close a connection that is too old or broken.

    Not for a task run eagerly, inside its caller's transaction.
    """
    if not sender.request.is_eager:
        close_old_connections()


@signals.worker_init.connect
def warm_up(**_kwargs: object) -> None:
    """Prepare in the worker's main process, before the pool forks, what every child needs."""
    from notifications.channels import email

    email.warm_up()


@signals.worker_ready.connect
def first_heartbeat(**_kwargs: object) -> None:
    """A worker that has just started is alive: /healthz need not wait for beat's minute."""
    heartbeat.delay()


@app.task(name="config.celery_app.heartbeat")
def heartbeat() -> str:
    """Record that a worker is alive; beat runs this every minute, /healthz reads it."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, now, timeout=None)
    return now
