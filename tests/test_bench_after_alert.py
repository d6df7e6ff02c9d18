"""The after-an-alert benchmark, tiny, for correctness rather than speed.

The same code as ``python -m bench after-alert`` (see bench/after_alert.py): an
alert to 200 members, 20 of them signed in, gunicorn behind Caddy, wrk at a
constant rate through ``bench/wrk_paced.lua``. Every request must be a 200 with
the member's own entry, and the same sessions asking for each other's entries
must be refused: the load is real pages, not errors.

Needs REDIS_URL and PostgreSQL (see tests/live.py), wrk and Caddy.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile

import pytest

from bench import after_alert
from notifications.alerts.models import Channel, Delivery
from tests.live import require_live_services

pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True)]

MEMBERS = 200
SESSIONS = 20
RATE = 20


@pytest.fixture
def live() -> None:
    require_live_services()
    if missing := [tool for tool in ("wrk", "caddy") if shutil.which(tool) is None]:
        reason = f"needs {' and '.join(missing)} (Debian packages)"
        if os.environ.get("GSV_REQUIRE_LIVE") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def test_signed_in_members_open_their_own_entries_at_a_constant_rate(live):
    report = after_alert.run(
        members=MEMBERS, sessions=SESSIONS, rates=[RATE], seconds=1, web_workers=2, search=0
    )

    assert len(report.scenario.visits) == SESSIONS
    assert Delivery.objects.filter(channel=Channel.INAPP).count() == MEMBERS
    assert (report.strangers_tried, report.strangers_refused) == (10, 10)
    [entry], [floor] = report.entries, report.floors
    for run in (entry, floor):
        assert (run.rate, run.scheduled, run.ok, run.errors, run.unanswered) == (
            RATE,
            RATE,
            RATE,
            0,
            0,
        )
        assert len(run.latencies_ms) == RATE
        assert 0 < run.percentile(0.50) <= run.percentile(0.95) <= run.percentile(0.99)
    # The members' first opening marked their entries read.
    assert Delivery.objects.filter(
        pk__in=report.scenario.entry_ids, read_at__isnull=False
    ).count() == (SESSIONS)


def test_the_load_script_counts_another_members_entry_as_an_error(live):
    scenario = after_alert.prepare(MEMBERS, SESSIONS)
    # Each session asks for the next member's entry.
    swapped = [
        dataclasses.replace(visit, path=other.path)
        for visit, other in zip(
            scenario.visits, scenario.visits[1:] + scenario.visits[:1], strict=True
        )
    ]

    with after_alert.serving(2) as base, tempfile.TemporaryDirectory() as directory:
        run = after_alert.paced(
            base,
            after_alert.write_visits(swapped, directory, "swapped"),
            page="someone else's entry",
            rate=RATE,
            seconds=1,
            grace=5,
            marker=scenario.alert.title,
        )

    assert (run.ok, run.errors, run.unanswered) == (0, RATE, 0)
    assert not run.holds
    assert not Delivery.objects.filter(pk__in=scenario.entry_ids, read_at__isnull=False).exists()
