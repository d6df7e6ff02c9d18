from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_redis import get_redis_connection

from config.celery_app import HEARTBEAT_CACHE_KEY


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Is the service doing its job? For an uptime monitor: 503 names what is wrong.

    Database, cache, and the last worker heartbeat, which beat schedules every minute
    and a worker records: a stale one means alerts are not going out, however well the
    web process answers.
    """
    status: dict[str, object] = {"database": "ok", "cache": "ok", "worker_heartbeat": None}
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        status["database"] = "unavailable"
        problems.append("database")
    if not _cache_answers():
        status["cache"] = "unavailable"
        problems.append("cache")
    else:
        status["worker_heartbeat"] = beat = cache.get(HEARTBEAT_CACHE_KEY)
        if not _recent(beat):
            problems.append("worker_heartbeat")
    status["stale"] = problems
    return JsonResponse(status, status=503 if problems else 200)


def _cache_answers() -> bool:
    """Whether Redis answers. Asked directly: the site's cache fails open (an outage
    reads as a miss, config/cache.py), which would pass here for a stale heartbeat."""
    try:
        client = get_redis_connection("default")
    except NotImplementedError:  # not Redis: development's local memory
        return True
    try:
        return bool(client.ping())
    except Exception:
        return False


def _recent(beat: object) -> bool:
    try:
        moment = datetime.fromisoformat(str(beat))
    except ValueError:
        return False  # none yet: no worker has reported since the cache was emptied
    max_age = timedelta(seconds=settings.HEALTHZ_HEARTBEAT_MAX_AGE_SECONDS)
    return timezone.now() - moment <= max_age


@never_cache
def liveness(request: HttpRequest) -> JsonResponse:
    """The web process answers: for container health checks and liveness probes.

    Touches neither the database nor the cache, so an outage of either (which
    restarting the web process would not mend) does not get it restarted.
    """
    return JsonResponse({"web": "ok"})
