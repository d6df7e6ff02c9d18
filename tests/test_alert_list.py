"""The officials' list of alerts: a page of 25 at a time, newest first, found by words of
their titles, in a fixed number of queries; a search no title can hold is refused with a
message, and the list stays whole."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.alerts.models import TITLE_MAX_LENGTH, Alert
from tests.conftest import client_for
from tests.factories import WatchAreaFactory, alert_for

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:alert_list")


def titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [alert.title for alert in response.context["alerts"]]


def test_the_list_is_paged_newest_first(police, area):
    for number in range(30):
        alert_for(police, area, title=f"Larm {number}")
    client = client_for(police)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert titles(first) == [f"Larm {number}" for number in range(29, 4, -1)]
    assert titles(second) == [f"Larm {number}" for number in range(4, -1, -1)]
    assert "Page 1 of 2" in first.content.decode()
    assert "30 alerts" in first.content.decode()


def test_words_of_a_title_find_the_alert_whatever_their_case(police, coordinator, area, area_c):
    alert_for(police, area, title="Cykelstölder vid stationen")
    alert_for(police, area, title="Inbrott i villor")
    # Another municipality's: not the police officer's to see, found or not.
    alert_for(coordinator, area_c, title="Cykelstölder i Töreboda")

    response = client_for(police).get(LIST, {"q": "  CYKEL "})

    assert titles(response) == ["Cykelstölder vid stationen"]
    assert "1 alert" in response.content.decode()


def test_an_area_or_municipality_finds_the_alerts_sent_there(police, municipality, area, area_b):
    alert_for(police, area, title="Inbrott i villor")
    alert_for(police, area_b, title="Cykelstölder")
    everywhere = alert_for(police, title="Falska poliser", target_kind="municipalities")
    everywhere.target_municipalities.set([municipality])
    client = client_for(police)

    by_area = client.get(LIST, {"q": area.name.upper()})
    by_municipality = client.get(LIST, {"q": municipality.name})

    assert titles(by_area) == ["Inbrott i villor"]
    assert titles(by_municipality) == ["Falska poliser"]


def test_each_alert_says_whom_it_went_to(police, municipality, area, area_b):
    many = [WatchAreaFactory(municipality=municipality, name=f"Område {n}") for n in range(3)]
    alert_for(police, area, area_b, *many, title="Till fem")
    everywhere = alert_for(police, title="Till alla", target_kind="municipalities")
    everywhere.target_municipalities.set([municipality])
    alert_for(police, title="Runt en plats", target_kind="shape")

    page = client_for(police).get(LIST).content.decode()

    to = dict(
        re.findall(r'>([^<>]+)</a>.*?</th>\s*<td role="cell" data-label="To">([^<]*)</td>', page)
    )
    assert to == {
        "Till fem": f"{area_b.name}, {area.name}, Område 0 and 2 more",
        "Till alla": f"All of {municipality.name}",
        "Runt en plats": "Areas around a place",
    }


def test_a_search_that_finds_nothing_says_so_and_leads_back_to_every_alert(police, area):
    alert_for(police, area, title="Inbrott i villor")

    page = client_for(police).get(LIST, {"q": "zzzz"}).content.decode()

    assert "No alert's title, area or municipality holds “zzzz”." in page
    assert f'<a href="{LIST}">Show every alert</a>' in page
    assert "No alerts yet." not in page


def test_a_search_no_title_can_hold_is_refused_and_the_list_stays_whole(police, area):
    alert_for(police, area, title="Inbrott i villor")

    response = client_for(police).get(LIST, {"q": "x" * (TITLE_MAX_LENGTH + 1)})

    assert response.status_code == 200
    assert f"at most {TITLE_MAX_LENGTH} characters" in response.content.decode()
    assert titles(response) == ["Inbrott i villor"]


def test_a_search_typed_as_html_comes_back_as_text(police, area):
    response = client_for(police).get(LIST, {"q": '"><script>alert(1)</script>'})

    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&quot;&gt;&lt;script&gt;" in page


def test_the_list_asks_the_same_number_of_queries_however_many_alerts(police, area):
    client = client_for(police)
    client.get(LIST)

    def queries_with(alerts: int) -> int:
        for number in range(alerts - Alert.objects.count()):
            alert_for(police, area, title=f"Larm {number}")
        with CaptureQueriesContext(connection) as queries:
            client.get(LIST)
        return len(queries)

    assert queries_with(2) == queries_with(30)
