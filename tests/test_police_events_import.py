"""The police's event list: the real client against recorded answers on loopback, the
rules of use, and every bad answer the importer must survive without losing events."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from official import fetching
from official.fetching import FeedState
from official.police_events import answers, services
from official.police_events.models import PoliceEvent
from tests.recorded_http import RecordedServer, recorded_server
from tests.settings_process import load_settings

DATA = Path(__file__).parent / "data" / "polisen"


@pytest.fixture
def polisen(settings, monkeypatch, municipality, other_municipality) -> Iterator[RecordedServer]:
    with recorded_server(DATA, monkeypatch, path="/api/events") as fake:
        settings.POLICE_EVENTS_BACKEND = "live"
        settings.POLICE_EVENTS_URL = fake.url
        settings.OFFICIAL_FEEDS_TIMEOUT_SECONDS = 1
        # The recorded events happened in December 2026: kept, whatever day the tests run.
        settings.POLICE_EVENTS_KEEP_DAYS = 36_500
        yield fake


def import_now() -> int | None:
    """Import as if the interval had passed: the rules of use are tested on their own."""
    FeedState.objects.filter(name=services.FEED).update(next_call_at=None)
    return services.import_events()


def test_events_of_the_deployments_municipalities_are_stored(polisen, municipality):
    polisen.respond_with("events")

    assert import_now() == 2

    mariestad, toreboda = PoliceEvent.objects.order_by("-police_id")
    assert mariestad.municipality == municipality
    assert mariestad.name == "04 december 08.50, Inbrott, Mariestad"
    # The one-digit hour of the police's time format.
    assert mariestad.happened_at == datetime(2026, 12, 4, 8, 5, 12, tzinfo=UTC)
    # Site-relative links are made absolute to polisen.se; full ones are kept.
    assert mariestad.url == (
        "https://polisen.se/aktuellt/handelser/2026/december/4/04-december-08.50-inbrott-mariestad/"
    )
    assert toreboda.url.startswith("https://polisen.se/aktuellt/handelser/")
    # Gullspång is in the answer but not in this deployment.
    assert not PoliceEvent.objects.filter(name__contains="Gullspång").exists()


def test_one_call_asks_for_every_municipality_and_says_who_asks(polisen):
    polisen.respond_with("events")

    import_now()

    [request] = polisen.requests
    assert request.method == "GET"
    assert request.query == {"locationname": "Mariestad;Töreboda"}
    assert request.headers["User-Agent"].startswith("Grannsamverkan (")


def test_an_event_seen_again_is_updated_not_doubled(polisen):
    polisen.respond_with("events", "events_again")

    import_now()
    import_now()

    assert PoliceEvent.objects.count() == 2
    assert PoliceEvent.objects.get(police_id=512345).summary.endswith("Gärningspersonen greps.")


def test_events_of_places_that_were_not_asked_for_are_not_stored(polisen):
    polisen.respond_with("elsewhere")

    assert import_now() == 0
    assert not PoliceEvent.objects.exists()


def test_bad_events_are_skipped_and_the_good_ones_kept(polisen, caplog):
    polisen.respond_with("bad_events")

    import_now()

    stored = dict(PoliceEvent.objects.values_list("police_id", "name"))
    # An ISO time with an offset is read too; a type the site has never seen is kept as given.
    assert set(stored) == {700005, 700007}
    assert PoliceEvent.objects.get(police_id=700005).type == "Okänd typ som inte finns"
    # The first of two events with one id counts.
    assert stored[700007] == "<b>Brand</b> i <script>alert(1)</script>"
    assert "skipped" in caplog.text


def test_html_in_an_event_is_shown_as_text(polisen, client, municipality):
    polisen.respond_with("bad_events")
    import_now()

    page = client.get(f"/kommun/{municipality.slug}/").content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page


@pytest.mark.parametrize("recording", ["truncated", "not_json", "object", "server_error"])
def test_a_bad_answer_keeps_every_event_and_counts_a_failure(polisen, recording):
    polisen.respond_with("events", recording)
    import_now()

    assert import_now() is None

    assert PoliceEvent.objects.count() == 2
    state = FeedState.objects.get(name=services.FEED)
    assert state.failures == 1
    assert state.last_error


def test_a_timeout_keeps_every_event(polisen, settings):
    polisen.respond_with("events")
    import_now()
    settings.OFFICIAL_FEEDS_TIMEOUT_SECONDS = 0.2
    polisen.delay = 2

    assert import_now() is None

    assert PoliceEvent.objects.count() == 2
    assert FeedState.objects.get(name=services.FEED).failures == 1


def test_ten_thousand_events_are_cut_to_the_apis_five_hundred(polisen):
    many = [
        {
            "id": 800_000 + i,
            "datetime": f"2026-12-04 10:{i % 60:02d}:00 +01:00",
            "name": f"Händelse {i}",
            "summary": "",
            "url": f"/h/{i}/",
            "type": "Övrigt",
            "location": {"name": "Mariestad", "gps": "58.7,13.8"},
        }
        for i in range(10_000)
    ]
    polisen.responses.append({"status": 200, "headers": {}, "body": json.dumps(many)})

    assert import_now() == answers.MOST_EVENTS


def test_failures_push_the_next_call_back_and_a_success_resets_them(polisen, settings):
    settings.POLICE_EVENTS_INTERVAL_SECONDS = 300
    polisen.respond_with("server_error", "server_error")

    services.import_events()
    first = FeedState.objects.get(name=services.FEED)
    FeedState.objects.filter(name=services.FEED).update(next_call_at=None)
    services.import_events()
    second = FeedState.objects.get(name=services.FEED)

    assert first.next_call_at - first.last_call_at == timedelta(seconds=600)
    assert second.next_call_at - second.last_call_at == timedelta(seconds=1200)
    polisen.respond_with("events")
    import_now()
    assert FeedState.objects.get(name=services.FEED).failures == 0


def test_a_429_waits_as_long_as_the_police_ask(polisen):
    polisen.respond_with("rate_limited")

    services.import_events()

    state = FeedState.objects.get(name=services.FEED)
    assert state.next_call_at - state.last_call_at == timedelta(hours=2)


def test_the_police_are_never_called_more_often_than_their_rules_allow(
    polisen, settings, monkeypatch
):
    # Beat fires every minute, and here every 7 s for six hours: the police see at most
    # one call per interval, at least 10 s apart, 60 an hour.
    settings.POLICE_EVENTS_INTERVAL_SECONDS = 60
    clock = [datetime(2026, 12, 4, 0, 0, tzinfo=UTC)]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    calls: list[datetime] = []
    monkeypatch.setattr(
        fetching.HttpSource, "fetch", lambda self, params: calls.append(clock[0]) or b"[]"
    )

    for _second in range(0, 6 * 3600, 7):
        services.import_events()
        clock[0] += timedelta(seconds=7)

    gaps = [later - earlier for earlier, later in itertools.pairwise(calls)]
    assert min(gaps) >= timedelta(seconds=60)
    assert len(calls) <= 6 * 60
    per_hour = [sum(1 for call in calls if call.hour == hour) for hour in range(6)]
    assert max(per_hour) <= 60
    assert min(per_hour) >= 50  # and the feed is read: a call at most every 70 s
    assert len(polisen.requests) == 0


def test_the_interval_cannot_be_set_below_a_minute():
    loaded = load_settings({"POLICE_EVENTS_INTERVAL_SECONDS": "5"})

    assert loaded.returncode != 0
    assert "POLICE_EVENTS_INTERVAL_SECONDS must be at least 60" in loaded.stderr


def test_a_live_feed_must_be_https():
    with pytest.raises(ImproperlyConfigured):
        fetching.HttpSource("http://polisen.se/api/events")
    fetching.HttpSource("https://polisen.se/api/events")


def test_switched_off_nothing_is_called(polisen, settings):
    settings.POLICE_EVENTS_BACKEND = "off"

    assert services.import_events() is None
    assert polisen.requests == []


def test_a_recorded_answer_is_read_from_its_file(settings, municipality, tmp_path):
    recorded = tmp_path / "events.json"
    recorded.write_text(json.loads((DATA / "events.json").read_text("utf-8"))["body"], "utf-8")
    settings.POLICE_EVENTS_BACKEND = "recorded"
    settings.POLICE_EVENTS_RECORDED_FILE = str(recorded)

    assert services.import_events() == 1


def test_events_older_than_kept_are_deleted_after_a_successful_import(polisen, settings):
    polisen.respond_with("events", "empty")
    import_now()
    settings.POLICE_EVENTS_KEEP_DAYS = 1
    PoliceEvent.objects.filter(police_id=512340).update(
        happened_at=timezone.now() - timedelta(days=2)
    )
    PoliceEvent.objects.exclude(police_id=512340).update(
        happened_at=timezone.now() - timedelta(hours=1)
    )

    import_now()

    assert list(PoliceEvent.objects.values_list("police_id", flat=True)) == [512345]
