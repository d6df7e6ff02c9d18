"""The sweep against a real broker with no worker: a row whose task may still be waiting
in the queue is not queued again every minute, and a retry the sweep queues is queued once.

After an alert to a million members the send queue holds messages for half an hour; a
sweep that queued every row still waiting each minute would bury the queue under copies.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from config.celery_app import app as celery_app
from config.celery_app import waiting
from notifications.alerts.models import Channel, Delivery
from notifications.outbox import pipeline
from notifications.outbox.models import DeliveryStatus
from tests.factories import member_of, sent_public_alert
from tests.live import go_live

pytestmark = [pytest.mark.worker, pytest.mark.django_db]

SEND = settings.CELERY_TASK_ROUTES["notifications.tasks.send_deliveries"]["queue"]


@pytest.fixture
def broker(settings) -> Iterator[None]:
    go_live(settings)
    celery_app.control.purge()
    yield
    celery_app.control.purge()


def queued_email(police, area, **fields: object) -> Delivery:
    return Delivery.objects.create(
        alert=sent_public_alert(police, area),
        user=member_of(area),
        area=area,
        channel=Channel.EMAIL,
        status=DeliveryStatus.QUEUED,
        created_at=timezone.now() - timedelta(minutes=5),
        **fields,
    )


def test_a_row_whose_task_may_be_waiting_is_not_queued_again(broker, police, area):
    queued_email(police, area)

    assert pipeline.sweep(timezone.now())["delivery_queued"] == 1  # nothing waits: lost
    assert waiting(SEND) == 1
    assert pipeline.sweep(timezone.now())["delivery_queued"] == 0  # its task may be that one
    assert waiting(SEND) == 1

    celery_app.control.purge()  # lost after all, with the broker's data
    celery_app.send_task("config.celery_app.heartbeat")  # beat's tasks do not count
    assert pipeline.sweep(timezone.now())["delivery_queued"] == 1


def test_a_retry_the_sweep_queues_is_queued_once(broker, police, area):
    delivery = queued_email(
        police, area, attempts=1, next_attempt_at=timezone.now() - timedelta(seconds=5)
    )

    assert pipeline.sweep(timezone.now())["delivery_queued"] == 1
    delivery.refresh_from_db()
    assert delivery.next_attempt_at is None  # now it waits like a fresh row
    assert pipeline.sweep(timezone.now())["delivery_queued"] == 0
    assert waiting(SEND) == 1
