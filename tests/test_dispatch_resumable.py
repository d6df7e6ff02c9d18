"""Dispatch in slices: cut off, it resumes from its cursor; run twice at once, it
writes and queues every delivery exactly once.

An alert's recipients are split into ranges of user ids (``DispatchRange``), each
dispatched a slice at a time by a task of its own. The send and continuation tasks
are recorded as they would be queued on commit, and run here by the test standing
in for the workers.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import Counter
from itertools import pairwise
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from bench import seed
from notifications.alerts import delivery
from notifications.alerts.models import Alert, AlertStatus, Channel, DispatchRange
from notifications.outbox import pipeline
from tests.factories import alert_for, official
from watch.roles.models import OfficialKind


class Queued:
    """What dispatch hands the broker once its transactions commit, in order."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sends: list[int] = []
        self.slices: list[tuple[int, int]] = []

    def send(self, task: str, channel: str, ids: list[int]) -> None:
        transaction.on_commit(lambda: self._add(self.sends, ids))

    def slice(self, task: str, *args: Any) -> None:
        assert task == delivery.SLICE_TASK
        transaction.on_commit(lambda: self._add(self.slices, [args]))

    def _add(self, into: list[Any], items: list[Any]) -> None:
        with self.lock:
            into.extend(items)


@pytest.fixture
def queued(monkeypatch) -> Queued:
    recorder = Queued()
    monkeypatch.setattr(pipeline, "enqueue_on_commit", recorder.send)
    monkeypatch.setattr(delivery, "enqueue_on_commit", recorder.slice)
    monkeypatch.setattr(delivery, "enqueue", recorder.slice)
    return recorder


# The channels planned for each member; push only for those who set up a device.
EVERY_MEMBERS = (Channel.EMAIL, Channel.SMS, Channel.INAPP)


def sending_alert(members: int) -> tuple[Alert, list[int]]:
    municipality = seed.municipality()
    areas = seed.areas(municipality, 2)
    seeded = seed.members(areas, members, sms_every=10)
    alert = alert_for(official(OfficialKind.POLICE, municipality), *areas)
    Alert.objects.filter(pk=alert.pk).update(
        status=AlertStatus.SENDING, dispatched_at=timezone.now()
    )
    return alert, seeded.user_ids


def assert_each_member_told_once(alert: Alert, user_ids: list[int], queued: Queued) -> None:
    rows = list(alert.deliveries.values_list("pk", "user_id", "channel", "status"))
    assert Counter((user_id, channel) for _, user_id, channel, _ in rows) == Counter(
        {(user_id, channel): 1 for user_id in user_ids for channel in EVERY_MEMBERS}
    )
    # The sweep may have sent some meanwhile; in-app entries are written as sent.
    to_send = {
        pk for pk, _, channel, status in rows if status != "skipped" and channel != Channel.INAPP
    }
    assert to_send
    # Each message's send task was queued once: no slice queued an earlier slice's rows.
    assert Counter(queued.sends) == Counter(dict.fromkeys(to_send, 1))
    alert.refresh_from_db()
    assert alert.status == AlertStatus.SENT
    assert sum(alert.dispatch_ranges.values_list("members", flat=True)) == len(user_ids)


@pytest.mark.django_db
def test_a_dispatch_cut_off_after_one_slice_is_resumed_from_its_cursor(
    queued, settings, django_capture_on_commit_callbacks
):
    settings.DISPATCH_SLICE_MEMBERS = 2
    alert, user_ids = sending_alert(7)
    start = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.dispatch(alert.pk) == 7
    ((range_id, cursor),) = queued.slices
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.dispatch_slice(range_id, cursor) == sorted(user_ids)[1]
    # The worker dies here: its continuation never runs.
    assert set(alert.deliveries.values_list("user_id", flat=True)) == set(sorted(user_ids)[:2])
    # A redelivered copy of the first task finds the range moved on and does nothing.
    assert delivery.dispatch_slice(range_id, cursor) is None
    # Planning again (a redelivered dispatch task) plans nothing new.
    assert delivery.dispatch(alert.pk) == 0
    assert alert.deliveries.count() == 2 * len(EVERY_MEMBERS)

    # The sweep goes by the last slice, not the start of sending.
    range_ = DispatchRange.objects.get(pk=range_id)
    with time_machine.travel(range_.touched_at + pipeline.stale_claim() - dt.timedelta(seconds=1)):
        assert delivery.sweep()["slices_requeued"] == 0
    with time_machine.travel(start + dt.timedelta(hours=1)):
        with django_capture_on_commit_callbacks(execute=True):
            assert delivery.sweep()["slices_requeued"] == 1
        # Stand in for the workers: run each slice task as it is queued.
        done = 2
        while done < len(queued.slices):
            with django_capture_on_commit_callbacks(execute=True):
                delivery.dispatch_slice(*queued.slices[done])
            done += 1

    assert_each_member_told_once(alert, user_ids, queued)
    assert DispatchRange.objects.get(pk=range_id).slices == 4


@pytest.mark.django_db
def test_send_tasks_lost_between_a_slice_commit_and_their_queueing_are_queued_by_the_sweep(
    queued, monkeypatch, django_capture_on_commit_callbacks
):
    alert, user_ids = sending_alert(5)
    with django_capture_on_commit_callbacks(execute=True):
        delivery.dispatch(alert.pk)
    ((range_id, cursor),) = queued.slices
    delivery.dispatch_slice(range_id, cursor)  # its on-commit queueing never runs
    DispatchRange.objects.filter(pk=range_id).update(queued_to=cursor)  # nor the mark
    requeued: list[int] = []
    monkeypatch.setattr(
        pipeline, "enqueue", lambda task, channel, ids, countdown=None: requeued.extend(ids)
    )

    with time_machine.travel(timezone.now() + pipeline.stale_claim() + dt.timedelta(seconds=1)):
        assert delivery.sweep()["sends_requeued"] >= 1

    # (The outbox's own sweep, seeing an empty queue here, queues them too.)
    queued_rows = set(alert.deliveries.filter(status="queued").values_list("pk", flat=True))
    assert set(requeued) == queued_rows
    assert len(queued_rows) >= len(user_ids)  # every e-mail, and the texts
    assert DispatchRange.objects.get(pk=range_id).queued_to == max(user_ids)


@pytest.mark.django_db
def test_a_large_alert_is_split_into_ranges_that_cover_every_member(
    queued, settings, django_capture_on_commit_callbacks
):
    settings.DISPATCH_RANGE_MEMBERS = 10
    settings.DISPATCH_SLICE_MEMBERS = 4
    alert, user_ids = sending_alert(45)

    with django_capture_on_commit_callbacks(execute=True):
        delivery.dispatch_here(alert.pk)

    ranges = list(alert.dispatch_ranges.values_list("first_user_id", "last_user_id"))
    assert len(ranges) == 5
    assert ranges[0][0] == 1
    assert ranges[-1][1] is None
    assert all(last + 1 == following for (_, last), (following, _) in pairwise(ranges))
    assert_each_member_told_once(alert, user_ids, queued)


@pytest.mark.django_db
def test_ranges_hold_as_many_members_however_the_ids_are_spread(
    queued, settings, django_capture_on_commit_callbacks
):
    settings.DISPATCH_RANGE_MEMBERS = 4
    alert, user_ids = sending_alert(60)
    # The oldest member and the fifteen who joined last: equal ranges of ids would put
    # fifteen of the sixteen in the last range.
    User.objects.filter(pk__in=sorted(user_ids)[1:45]).update(is_active=False)
    told = [sorted(user_ids)[0], *sorted(user_ids)[45:]]

    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.dispatch_here(alert.pk) == 16

    assert list(alert.dispatch_ranges.values_list("members", flat=True)) == [4, 4, 4, 4]
    assert_each_member_told_once(alert, told, queued)


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        reason = "needs PostgreSQL: SQLite takes one writer at a time"
        if os.environ.get("GSV_REQUIRE_LIVE") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_working_on_one_alert_at_once_tell_each_member_once(
    postgresql, queued, settings
):
    settings.DISPATCH_RANGE_MEMBERS = 100
    settings.DISPATCH_SLICE_MEMBERS = 25
    alert, user_ids = sending_alert(400)
    delivery.dispatch(alert.pk)
    both_ready = threading.Barrier(2)
    slices_done: list[int] = []
    errors: list[BaseException] = []

    def dispatcher() -> None:
        """Takes every unfinished range at its cursor, as a redelivered task would."""
        done = 0
        try:
            both_ready.wait()
            ranges = DispatchRange.objects.filter(alert=alert, done_at__isnull=True)
            while ranges.exists():
                for range_id, cursor in ranges.values_list("pk", "cursor"):
                    done += delivery.dispatch_slice(range_id, cursor) is not None
        except BaseException as error:  # reported by the test's thread
            errors.append(error)
        finally:
            slices_done.append(done)
            connection.close()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert_each_member_told_once(alert, user_ids, queued)
    assert alert.dispatch_ranges.count() == 4
    # Every slice but each range's last returned a cursor, whichever worker ran it.
    slices = sum(alert.dispatch_ranges.values_list("slices", flat=True))
    assert sum(slices_done) == slices - 4
