from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from config.celery_app import HEARTBEAT_CACHE_KEY


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer and docker-compose: database, cache, last worker beat."""
    status = {"database": "ok", "cache": "ok", "worker_heartbeat": None}
    code = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        status["database"] = "unavailable"
        code = 503
    try:
        status["worker_heartbeat"] = cache.get(HEARTBEAT_CACHE_KEY)
    except Exception:
        status["cache"] = "unavailable"
        code = 503
    return JsonResponse(status, status=code)
