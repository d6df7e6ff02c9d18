import pytest
from django.core.cache import cache
from django.db import connection

from config.celery_app import HEARTBEAT_CACHE_KEY, heartbeat
from notifications.alerts.models import Channel
from notifications.tasks import send_deliveries
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


def worker_backends() -> set[tuple[int, str]]:
    """The other sessions on the test database: (process id, when it connected)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start::text FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        )
        return set(cursor.fetchall())


def test_a_worker_keeps_its_database_connection_from_task_to_task(settings):
    """Celery's Django fix-up would reconnect around every task of an alert's hundreds."""
    require_live_services()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Connections this test process's other threads keep (a bounce receiver's, say) are
    # not the worker's.
    others = worker_backends()

    with celery_worker("--pool=prefork", "--concurrency=1") as worker:

        def run_tasks(count: int) -> None:
            done = worker.output.count("succeeded")
            for _ in range(count):
                # Ids that do not exist: the task claims nothing, after a query.
                send_deliveries.delay(Channel.EMAIL, [-1])
            wait_for(lambda: worker.output.count("succeeded") >= done + count, timeout=30)

        run_tasks(5)
        after_five = worker_backends() - others
        run_tasks(5)
        after_ten = worker_backends() - others

    assert len(after_five) == 1
    assert after_ten == after_five
