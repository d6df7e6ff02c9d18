"""The municipality's public page: contacts, citizen promise, how to start, areas, alerts."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from notifications.alerts.models import AlertStatus
from tests.conftest import client_for
from tests.factories import WatchAreaFactory, sent_public_alert
from watch.areas.models import Municipality
from watch.municipality_page.models import (
    CitizenPromise,
    ContactRole,
    MunicipalityContact,
    PromiseItem,
)

pytestmark = pytest.mark.django_db


def page(client, municipality) -> str:
    response = client.get(reverse("watch:municipality", args=[municipality.slug]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def seeded(municipality):
    """The seed's cooperation: a kommunpolis, a säkerhetssamordnare, the 2020 promise."""
    municipality.how_to_start = "Prata med dina grannar och kontakta säkerhetssamordnaren."
    municipality.save()
    MunicipalityContact.objects.create(
        municipality=municipality,
        role=ContactRole.MUNICIPAL_POLICE,
        name="Kim Exempelsson",
        phone="031-390 06 00",
        email="kommunpolis@example.com",
    )
    MunicipalityContact.objects.create(
        municipality=municipality,
        role=ContactRole.SECURITY_COORDINATOR,
        name="Robin Demosson",
        phone="031-390 06 01",
        email="sakerhet@example.com",
        position=1,
    )
    old = CitizenPromise.objects.create(municipality=municipality, year=2019, introduction="Äldre")
    PromiseItem.objects.create(promise=old, text="Gammalt löfte")
    promise = CitizenPromise.objects.create(
        municipality=municipality, year=2020, introduction="Vårt löfte till dig"
    )
    PromiseItem.objects.create(promise=promise, text="Riktade insatser", status="done", position=2)
    PromiseItem.objects.create(
        promise=promise, text="Informera föräldrar om tobak", status="in_progress", position=1
    )
    CitizenPromise.objects.create(
        municipality=municipality, year=timezone.localdate().year + 1, introduction="Nästa år"
    )
    return municipality


def test_the_page_shows_the_cooperation(client, seeded):
    body = page(client, seeded)

    assert "Kim Exempelsson" in body
    assert "Municipal police officer" in body
    assert 'href="tel:0313900600"' in body
    assert 'href="mailto:kommunpolis@example.com"' in body
    assert "Robin Demosson" in body
    assert "Security coordinator" in body
    assert "Prata med dina grannar" in body
    # The newest promise whose year has begun, its items in order with their status.
    assert "Citizen promise 2020" in body
    assert "Vårt löfte till dig" in body
    assert body.index("Informera föräldrar") < body.index("Riktade insatser")
    assert "In progress" in body
    assert "Done" in body
    assert "Gammalt löfte" not in body
    assert "Nästa år" not in body


def test_the_map_and_list_show_only_active_areas_of_the_municipality(
    client, municipality, area, area_c
):
    WatchAreaFactory(municipality=municipality, name="Föreslaget", status="proposed")

    body = page(client, municipality)

    assert f"?municipality={municipality.slug}" in body
    assert area.name in body
    assert area_c.name not in body
    assert "Föreslaget" not in body


def test_public_alerts_newest_first_with_the_exercise_flag(client, police, area, area_c):
    now = timezone.now()
    sent_public_alert(police, area, title="Äldre larm", dispatched_at=now - timedelta(hours=2))
    sent_public_alert(police, area, title="Övningslarm", is_exercise=True, dispatched_at=now)
    sent_public_alert(police, area, title="Medlemslarm", is_public=False)
    sent_public_alert(police, area, title="Utkastlarm", status=AlertStatus.DRAFT)
    sent_public_alert(police, area, title="Inställt larm", status=AlertStatus.CANCELLED)
    sent_public_alert(police, area, title="Utgånget larm", expires_at=now - timedelta(minutes=1))
    sent_public_alert(police, area_c, title="Annan kommuns larm")

    body = page(client, area.municipality)

    assert body.index("Övningslarm") < body.index("Äldre larm")
    assert '<span class="badge">Test</span>' in body
    for hidden in ("Medlemslarm", "Utkastlarm", "Inställt larm", "Utgånget larm", "Annan kommun"):
        assert hidden not in body


def test_feeds_are_announced(client, municipality):
    body = page(client, municipality)

    feed = reverse("notifications:municipality_feed", args=[municipality.slug])
    assert f'<link rel="alternate" type="application/atom+xml" href="{feed}"' in body
    cap_feed = reverse("notifications:municipality_cap_feed", args=[municipality.slug])
    assert f'type="application/atom+xml" href="{cap_feed}"' in body


def test_linked_from_the_home_page_and_the_area_page(client, area):
    link = reverse("watch:municipality", args=[area.municipality.slug])

    assert link in client.get(reverse("watch:home")).content.decode()
    area_page = client.get(reverse("watch:area_detail", args=[area.pk])).content.decode()
    assert link in area_page
    assert reverse("notifications:area_feed", args=[area.pk]) in area_page


def test_edit_link_only_for_its_coordinators(client, coordinator, police, municipality):
    edit = reverse("watch:municipality_edit", args=[municipality.slug])

    assert edit in page(client_for(coordinator), municipality)
    assert edit not in page(client_for(police), municipality)
    assert edit not in page(client, municipality)


def test_unknown_municipality_is_404(client):
    assert client.get(reverse("watch:municipality", args=["atlantis"])).status_code == 404


def test_constant_queries(client, seeded, police, django_assert_max_num_queries):
    for n in range(10):
        area = WatchAreaFactory(municipality=seeded, name=f"Område {n}")
        sent_public_alert(police, area, title=f"Larm {n}")
        MunicipalityContact.objects.create(
            municipality=seeded, role=ContactRole.SECURITY_COORDINATOR, name=f"Person {n}"
        )
        PromiseItem.objects.create(promise=seeded.citizen_promises.get(year=2020), text=f"{n}")

    # Municipality, contacts, promise, its items, areas, alerts, the police's events,
    # Krisinformation's news.
    with django_assert_max_num_queries(8):
        page(client, seeded)


def test_the_demo_shows_the_seeds_cooperation(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    mariestad = Municipality.objects.get(slug="mariestad")

    body = page(client, mariestad)

    assert "Citizen promise 2020" in body
    assert "ungdomar i riskzonen" in body
    assert "Kommunen ska utveckla arbetet för dokumentation" in body
    assert "Municipal police officer" in body
    assert "Security coordinator" in body
    assert "Ett nytt område startar med ett möte med polisen" in body


def test_texts_are_escaped(client, municipality):
    municipality.how_to_start = '<script>alert("x")</script>'
    municipality.save()
    MunicipalityContact.objects.create(
        municipality=municipality,
        role=ContactRole.MUNICIPAL_POLICE,
        name="<b>Kim</b>",
        phone='" onclick="x',
    )

    body = page(client, municipality)

    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;" in body
    assert "<b>Kim</b>" not in body
    assert 'onclick="x' not in body
