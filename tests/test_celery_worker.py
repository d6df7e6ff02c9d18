import pytest
from django.core.cache import cache

from config.celery_app import HEARTBEAT_CACHE_KEY, heartbeat
from tests.live import celery_worker, require_live_services, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_runs_a_task_sent_through_redis(settings):
    require_live_services()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.delete(HEARTBEAT_CACHE_KEY)

    with celery_worker() as worker:
        heartbeat.delay()
        beat = wait_for(lambda: cache.get(HEARTBEAT_CACHE_KEY), timeout=20)

    assert beat is not None
    assert "config.celery_app.heartbeat" in worker.output
    assert "succeeded" in worker.output
