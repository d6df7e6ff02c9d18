"""Dispatch alone, by 1, 2, 4… worker processes: how it scales with the workers.

The members are seeded once; for each worker count an alert to all of them goes
out as the web form sends it, and a worker started with ``-Q dispatch`` takes the
planning and slice tasks only, so no send task competes for the CPUs (they wait in
the broker's default queue, which is emptied after each run). The time is the
alert's own: from ``dispatched_at`` to ``sent_at``, when the last range was done.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import transaction

from bench import fanout, seed
from config.celery_app import app
from notifications.alerts import services as alert_services
from notifications.alerts.models import Alert, AlertStatus, Channel
from tests.live import celery_worker


@dataclass
class Run:
    workers: int
    seconds: float
    ranges: int
    slices: int
    rows: int


def run(n: int, worker_counts: list[int], *, area_count: int, sms_every: int) -> list[Run]:
    template, police, _members = fanout.prepare(n, area_count, sms_every=sms_every)
    areas = list(template.target_areas.all())
    runs = []
    for workers in worker_counts:
        alert = Alert.objects.create(
            author=police,
            kind=template.kind,
            severity=template.severity,
            title=template.title,
            body=template.body,
            target_kind=template.target_kind,
        )
        alert.target_areas.set(areas)
        with celery_worker("--pool=prefork", f"--concurrency={workers}", "-Q", "dispatch"):
            with transaction.atomic():
                alert_services.send_alert(actor=police, alert=alert)
            deadline = time.monotonic() + fanout.timeout_for(n)
            while not Alert.objects.filter(pk=alert.pk, status=AlertStatus.SENT).exists():
                if time.monotonic() > deadline:
                    raise AssertionError(f"dispatch by {workers} workers not done in time")
                time.sleep(0.2)
        app.control.purge()
        alert.refresh_from_db()
        if alert.dispatched_at is None or alert.sent_at is None:
            raise RuntimeError(f"alert {alert.pk} is {alert.status} without its times")
        rows = alert.deliveries.count()
        if rows != n * len(Channel.values):
            raise AssertionError(f"{rows} deliveries for {n} members by {workers} workers")
        runs.append(
            Run(
                workers=workers,
                seconds=(alert.sent_at - alert.dispatched_at).total_seconds(),
                ranges=alert.dispatch_ranges.count(),
                slices=sum(alert.dispatch_ranges.values_list("slices", flat=True)),
                rows=rows,
            )
        )
        alert.delete()
        seed.analyze()  # fresh statistics for the next run, after the delete
    return runs
