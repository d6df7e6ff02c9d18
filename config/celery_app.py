"""The Celery application.

Settings come from Django's settings under the ``CELERY_`` prefix (see
config/settings.py): JSON only, explicit time limits, late acknowledgement and
django-celery-beat's database scheduler.
"""

from __future__ import annotations

import logging
import os
from functools import partial
from typing import Any

from celery import Celery, Task, signals
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, close_old_connections, transaction
from django.utils import timezone
from kombu.exceptions import ChannelError
from kombu.exceptions import OperationalError as BrokerError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("grannsamverkan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

HEARTBEAT_CACHE_KEY = "celery-heartbeat"

# The options of every task whose work is idempotent (rows are claimed before anything
# is sent): a database restart or failover (OperationalError, InterfaceError) or a
# network error is retried with backoff, as a second run after a partial one is safe.
# Other database errors (an IntegrityError) are bugs, which a retry would only repeat.
RETRY_ON_OUTAGE: dict[str, Any] = {
    "autoretry_for": (OSError, OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 10,
}

logger = logging.getLogger(__name__)


def enqueue(task_name: str, *args: Any, countdown: float | None = None) -> None:
    """Queue the task ``task_name`` with ``args``, now.

    By name, so that the modules that queue work never import the tasks that do it
    (each app's tasks module imports its services, and its AppConfig imports the
    tasks module, so the names resolve and eager mode runs them in-process).
    """
    app.signature(task_name, args=args).apply_async(countdown=countdown)


def waiting(queue: str | None = None) -> int:
    """How many messages wait in the broker's ``queue`` (the default one) for a worker:
    none when tasks run eagerly."""
    if app.conf.task_always_eager:
        return 0
    with app.connection_for_read() as connection:
        try:
            declared = connection.default_channel.queue_declare(
                queue=queue or app.conf.task_default_queue, passive=True
            )
        except ChannelError:  # Redis keeps no empty list: nothing waits
            return 0
    return int(declared.message_count)


def enqueue_on_commit(task_name: str, *args: Any) -> None:
    """Queue ``task_name`` once the transaction commits; if the broker is down, log it
    and go on.

    By then the work is committed, so failing the request would only tell the user
    that nothing happened when it did. Alerts and account notices are recorded
    before they are queued, and the sweep sends what never arrived.
    """
    transaction.on_commit(partial(_enqueue_or_log, task_name, args))


def _enqueue_or_log(task_name: str, args: tuple[Any, ...]) -> None:
    try:
        enqueue(task_name, *args)
    except BrokerError as error:
        logger.error("Could not queue %s, the broker is unreachable: %s", task_name, error)


@signals.task_prerun.connect
@signals.task_postrun.connect
def close_obsolete_connections(sender: Task, **_kwargs: object) -> None:
    """What Django does around each request: close a connection that is too old or broken.

    Not for a task run eagerly, inside its caller's transaction.
    """
    if not sender.request.is_eager:
        close_old_connections()


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
