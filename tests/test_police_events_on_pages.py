"""The police's events where people look: the municipality page, each area's page, the
members' and the officials' start pages; and an official starts an alert from one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.alerts.models import Alert, Kind
from official.police_events.models import PoliceEvent
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LINK = "https://polisen.se/aktuellt/handelser/2026/december/4/04-december-08.50-inbrott-mariestad/"


@pytest.fixture
def event(municipality) -> PoliceEvent:
    return PoliceEvent.objects.create(
        police_id=512345,
        municipality=municipality,
        happened_at=timezone.now(),
        name="04 december 08.50, Inbrott, Mariestad",
        summary="Inbrott i villa på Marieholmsgatan.",
        url=LINK,
        type="Inbrott",
    )


@pytest.fixture
def event_elsewhere(other_municipality) -> PoliceEvent:
    return PoliceEvent.objects.create(
        police_id=512340,
        municipality=other_municipality,
        happened_at=timezone.now(),
        name="04 december 07.30, Trafikolycka, Töreboda",
        url="https://polisen.se/aktuellt/handelser/1/",
        type="Trafikolycka",
    )


def test_the_municipality_and_area_pages_list_the_events_linked_to_polisen(
    client, event, event_elsewhere, municipality, area
):
    for path in (
        reverse("watch:municipality", args=[municipality.slug]),
        reverse("watch:area_detail", args=[area.pk]),
    ):
        page = client.get(path).content.decode()

        assert "Latest from the police in Mariestad" in page
        assert f'href="{LINK}"' in page
        assert "not from this service" in page
        assert "Trafikolycka, Töreboda" not in page
        assert "Start an alert from this" not in page


def test_a_members_start_page_shows_the_events_of_their_municipality(
    area_member, event, event_elsewhere
):
    page = client_for(area_member).get(reverse("watch:home")).content.decode()

    # The time once, beside the headline, not again in it.
    assert 'rel="noopener">Inbrott, Mariestad</a>' in page
    assert "08.50, Inbrott" not in page
    assert "Trafikolycka, Töreboda" not in page


def test_an_officials_start_page_offers_to_start_an_alert_from_an_event(police, event):
    page = client_for(police).get(reverse("watch:home")).content.decode()

    assert "Inbrott, Mariestad" in page
    assert f"?police_event={event.pk}" in page


def test_the_composer_opens_prefilled_and_the_alert_records_its_source(police, event, area):
    client = client_for(police)
    url = reverse("notifications:alert_create")

    page = client.get(url, {"police_event": event.pk}).content.decode()
    # The police's time of it is not the alert's title.
    assert 'value="Inbrott, Mariestad"' in page
    assert LINK in page
    response = client.post(
        url,
        {
            "kind": Kind.POLICE_ALERT,
            "severity": "normal",
            "title": "Inbrott på Marieholmsgatan",
            "body": f"Var uppmärksam.\n\n{LINK}",
            "police_event": event.pk,
        },
    )

    alert = Alert.objects.get()
    assert response.status_code == 302
    assert alert.source == "polisen.se:512345"
    assert alert.source_url == LINK


def test_an_event_of_another_municipality_prefills_nothing_and_is_refused(police, event_elsewhere):
    client = client_for(police)
    url = reverse("notifications:alert_create")

    page = client.get(url, {"police_event": event_elsewhere.pk}).content.decode()
    response = client.post(
        url,
        {
            "kind": Kind.POLICE_ALERT,
            "severity": "normal",
            "title": "x",
            "body": "y",
            "police_event": event_elsewhere.pk,
        },
    )

    assert "Trafikolycka" not in page
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Alert.objects.exists()


def test_a_page_lists_events_in_one_query_however_many(client, municipality):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("watch:municipality", args=[municipality.slug]))
        return len(captured)

    before = queries()
    PoliceEvent.objects.bulk_create(
        PoliceEvent(
            police_id=900 + i,
            municipality=municipality,
            happened_at=timezone.now(),
            name=f"Händelse {i}",
            url=f"https://polisen.se/{i}/",
            type="Övrigt",
        )
        for i in range(30)
    )

    assert queries() == before
