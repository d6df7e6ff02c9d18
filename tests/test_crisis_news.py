"""Krisinformation.se's news: the real client against recorded answers on loopback, the
items that concern the deployment, and what survives a bad answer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from official.crisis_news import services
from official.crisis_news.models import CrisisNews
from official.fetching import FeedState
from tests.conftest import client_for
from tests.recorded_http import RecordedServer, recorded_server

DATA = Path(__file__).parent / "data" / "krisinformation"


@pytest.fixture
def krisinformation(settings, monkeypatch, municipality) -> Iterator[RecordedServer]:
    with recorded_server(DATA, monkeypatch, path="/v3/news") as fake:
        settings.CRISIS_NEWS_BACKEND = "live"
        settings.CRISIS_NEWS_URL = fake.url
        settings.OFFICIAL_FEEDS_TIMEOUT_SECONDS = 1
        # The recorded news is of December 2026: kept, whatever day the tests run.
        monkeypatch.setattr(services, "KEEP", timedelta(days=36_500))
        yield fake


def import_now() -> int | None:
    FeedState.objects.filter(name=services.FEED).update(next_call_at=None)
    return services.import_news()


def test_news_for_the_municipality_its_county_and_sweden_is_stored(krisinformation):
    krisinformation.respond_with("news")

    assert import_now() == 3

    assert set(CrisisNews.objects.values_list("identifier", flat=True)) == {
        "nyhet-1001",  # Västra Götalands län, Mariestad's county
        "nyhet-1002",  # Mariestads kommun
        "nyhet-1004",  # all of Sweden
    }
    [request] = krisinformation.requests
    assert request.query == {"allCounties": "True", "includeTest": "0"}
    assert request.headers["User-Agent"].startswith("Grannsamverkan (")


def test_an_item_seen_again_is_updated(krisinformation):
    krisinformation.respond_with("news", "news_updated")
    import_now()

    import_now()

    storm = CrisisNews.objects.get(identifier="nyhet-1001")
    assert storm.headline == "Stormen når Västra Götaland ikväll"
    assert CrisisNews.objects.count() == 3


def test_bad_items_are_skipped_and_a_bad_link_dropped(krisinformation, caplog):
    krisinformation.respond_with("bad_items")

    import_now()

    assert set(CrisisNews.objects.values_list("identifier", flat=True)) == {"x4", "nyhet-1002"}
    assert CrisisNews.objects.get(identifier="x4").web == ""
    assert "skipped" in caplog.text


@pytest.mark.parametrize("recording", ["not_a_list", "server_error"])
def test_a_bad_answer_keeps_the_news(krisinformation, recording):
    krisinformation.respond_with("news", recording)
    import_now()

    assert import_now() is None

    assert CrisisNews.objects.count() == 3
    assert FeedState.objects.get(name=services.FEED).failures == 1


def test_recent_news_on_the_municipality_page_and_members_start_page(
    krisinformation, client, municipality, area_member, time_machine
):
    time_machine.move_to("2026-12-04 16:00 +01:00")
    krisinformation.respond_with("bad_items")
    import_now()

    for page in (
        client.get(reverse("watch:municipality", args=[municipality.slug])),
        client_for(area_member).get(reverse("watch:home")),
    ):
        html = page.content.decode()
        assert "From Krisinformation.se" in html
        assert "Elavbrott i Mariestad" in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Brand" in html
        assert "<script>alert(1)" not in html
