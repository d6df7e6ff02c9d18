"""Atom feeds of public alerts (per area, per municipality, the CAP index) and the public
alert page they link to."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.alerts.models import AlertStatus
from tests.conftest import client_for
from tests.factories import WatchAreaFactory, sent_public_alert

pytestmark = pytest.mark.django_db

ATOM = {"atom": "http://www.w3.org/2005/Atom"}


def feed(client, name: str, arg) -> ElementTree.Element:
    response = client.get(reverse(f"notifications:{name}", args=[arg]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ElementTree.fromstring(response.content)  # noqa: S314 - the project's own output


def entries(root: ElementTree.Element) -> list[ElementTree.Element]:
    return root.findall("atom:entry", ATOM)


def titles(root: ElementTree.Element) -> list[str]:
    return [entry.findtext("atom:title", namespaces=ATOM) for entry in entries(root)]


def assert_valid_atom(root: ElementTree.Element) -> None:
    """RFC 4287's required elements: feed id, title, updated, an author, a self link;
    each entry id, title, updated and a link."""
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for name in ("id", "title", "updated", "author/atom:name"):
        assert root.findtext(f"atom:{name}", namespaces=ATOM), name
    assert root.find("atom:link[@rel='self']", ATOM) is not None
    for entry in entries(root):
        for name in ("id", "title", "updated"):
            assert entry.findtext(f"atom:{name}", namespaces=ATOM), name
        assert entry.find("atom:link[@rel='alternate']", ATOM) is not None


@pytest.fixture
def published(police, area, area_c):
    """Public alerts to A, and one to C in the other municipality."""
    now = timezone.now()
    return {
        "old": sent_public_alert(police, area, title="Gammalt", dispatched_at=now - timedelta(1)),
        "new": sent_public_alert(police, area, title="Nytt", dispatched_at=now),
        "exercise": sent_public_alert(
            police, area, title="Övning", is_exercise=True, dispatched_at=now - timedelta(2)
        ),
        "elsewhere": sent_public_alert(police, area_c, title="Annan kommun"),
    }


@pytest.fixture
def hidden(police, area):
    """Alerts to A that no feed may show."""
    past = timezone.now() - timedelta(hours=1)
    return [
        sent_public_alert(police, area, title="Bara medlemmar", is_public=False),
        sent_public_alert(police, area, title="Utkast", status=AlertStatus.DRAFT),
        sent_public_alert(police, area, title="Schemalagt", status=AlertStatus.SCHEDULED),
        sent_public_alert(police, area, title="Inställt", status=AlertStatus.CANCELLED),
        sent_public_alert(police, area, title="Utgånget", expires_at=past),
    ]


def test_the_area_feed_lists_its_public_alerts_newest_first(client, area, published, hidden):
    root = feed(client, "area_feed", area.pk)

    assert_valid_atom(root)
    assert titles(root) == ["Nytt", "Gammalt", "[TEST] Övning"]


def test_the_municipality_feed(client, municipality, published, hidden):
    root = feed(client, "municipality_feed", municipality.slug)

    assert_valid_atom(root)
    assert titles(root) == ["Nytt", "Gammalt", "[TEST] Övning"]
    assert (
        root.find("atom:link[@rel='alternate']", ATOM)
        .get("href")
        .endswith(reverse("watch:municipality", args=[municipality.slug]))
    )


def test_ids_and_dates_are_stable(client, area, published, settings):
    settings.SITE_URL = "https://grannsamverkan.example.com"
    first = feed(client, "area_feed", area.pk)
    second = feed(client, "area_feed", area.pk)

    ids = [entry.findtext("atom:id", namespaces=ATOM) for entry in entries(first)]
    new = published["new"]
    assert ids[0] == f"tag:grannsamverkan.example.com,{new.created_at:%Y-%m-%d}:alert:{new.pk}"
    assert ids == [entry.findtext("atom:id", namespaces=ATOM) for entry in entries(second)]
    assert len(set(ids)) == len(ids)
    assert first.findtext("atom:updated", namespaces=ATOM) == second.findtext(
        "atom:updated", namespaces=ATOM
    )
    assert first.findtext("atom:id", namespaces=ATOM) == (
        "https://grannsamverkan.example.com" + reverse("notifications:area_feed", args=[area.pk])
    )
    link = entries(first)[0].find("atom:link[@rel='alternate']", ATOM).get("href")
    assert link == "https://grannsamverkan.example.com" + reverse(
        "notifications:public_alert", args=[new.pk]
    )


def test_the_cap_index_links_each_cap_document(client, municipality, published, hidden):
    root = feed(client, "municipality_cap_feed", municipality.slug)

    assert_valid_atom(root)
    assert len(entries(root)) == 3
    assert root.findtext("atom:id", namespaces=ATOM) != feed(
        client, "municipality_feed", municipality.slug
    ).findtext("atom:id", namespaces=ATOM)
    for entry in entries(root):
        cap_link = entry.find("atom:link[@type='application/cap+xml']", ATOM)
        assert cap_link.get("rel") == "alternate"
        assert client.get(urlsplit(cap_link.get("href")).path).status_code == 200


def test_titles_and_bodies_are_escaped(client, police, area):
    sent_public_alert(
        police, area, title="<script>alert('x')</script> & co", body="<img src=x onerror=alert(1)>"
    )

    response = client.get(reverse("notifications:area_feed", args=[area.pk]))
    root = ElementTree.fromstring(response.content)  # noqa: S314 - the project's own output

    assert b"<script>" not in response.content
    assert b"<img" not in response.content
    [entry] = entries(root)
    assert entry.findtext("atom:title", namespaces=ATOM) == "<script>alert('x')</script> & co"
    summary = entry.findtext("atom:summary", namespaces=ATOM)
    # The summary is HTML: what looked like a tag is there as escaped text, not as a tag.
    assert "<img" not in summary
    assert "&lt;img src=x onerror=alert(1)&gt;" in summary


def test_control_characters_do_not_break_the_feed(client, police, area):
    sent_public_alert(police, area, title="Form\x0cfeed", body="Bell\x07 here")

    root = feed(client, "area_feed", area.pk)

    assert titles(root) == ["Formfeed"]


def test_control_characters_in_a_place_name_do_not_break_the_feeds(client, police, area):
    # Area names come from officials' forms, which let a pasted form feed through.
    area.name = "Marie\x0cholm"
    area.save(update_fields=["name"])
    area.municipality.name = "Marie\x07stad"
    area.municipality.save(update_fields=["name"])
    sent_public_alert(police, area, title="Larm")

    for name, arg in [
        ("area_feed", area.pk),
        ("municipality_feed", area.municipality.slug),
        ("municipality_cap_feed", area.municipality.slug),
    ]:
        root = feed(client, name, arg)
        assert "\x0c" not in root.findtext("atom:title", namespaces=ATOM)
        assert titles(root) == ["Larm"]


def test_no_feed_for_an_area_that_is_not_active(client, municipality):
    proposed = WatchAreaFactory(municipality=municipality, status="proposed")

    response = client.get(reverse("notifications:area_feed", args=[proposed.pk]))

    assert response.status_code == 404


def test_an_empty_feed_is_still_valid(client, municipality):
    assert_valid_atom(feed(client, "municipality_feed", municipality.slug))


def test_constant_queries(client, police, area, django_assert_max_num_queries):
    for n in range(12):
        sent_public_alert(police, area, title=f"Larm {n}")

    with django_assert_max_num_queries(3):
        feed(client, "area_feed", area.pk)
    with django_assert_max_num_queries(3):
        feed(client, "municipality_cap_feed", area.municipality.slug)


# --- The public alert page ------------------------------------------------------------------


def test_the_public_alert_page(client, police, area):
    alert = sent_public_alert(police, area, title="Inbrott i området", is_exercise=True)

    response = client.get(reverse("notifications:public_alert", args=[alert.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Inbrott i området" in body
    assert "TEST / EXERCISE" in body
    assert reverse("notifications:alert_cap", args=[alert.pk]) in body
    assert reverse("watch:municipality", args=[area.municipality.slug]) in body
    assert police.full_name not in body
    assert police.email not in body


def test_an_expired_public_alert_keeps_its_page(client, police, area):
    alert = sent_public_alert(police, area, expires_at=timezone.now() - timedelta(days=1))

    response = client.get(reverse("notifications:public_alert", args=[alert.pk]))

    assert response.status_code == 200
    assert "This message has expired." in response.content.decode()


@pytest.mark.parametrize(
    "fields",
    [
        {"is_public": False},
        {"status": AlertStatus.DRAFT},
        {"status": AlertStatus.SCHEDULED},
        {"status": AlertStatus.CANCELLED},
    ],
    ids=["members-only", "draft", "scheduled", "cancelled"],
)
def test_no_page_for_an_alert_that_is_not_public(client, police, area, fields):
    alert = sent_public_alert(police, area, **fields)

    # Not even its author sees it here: the sender has the report page.
    response = client_for(police).get(reverse("notifications:public_alert", args=[alert.pk]))

    assert response.status_code == 404


def test_the_senders_report_links_the_public_page_and_cap(police, area):
    public = sent_public_alert(police, area)
    private = sent_public_alert(police, area, is_public=False)
    client = client_for(police)

    report = client.get(reverse("notifications:alert_detail", args=[public.pk]))
    private_report = client.get(reverse("notifications:alert_detail", args=[private.pk]))

    assert reverse("notifications:public_alert", args=[public.pk]) in report.content.decode()
    assert reverse("notifications:alert_cap", args=[public.pk]) in report.content.decode()
    assert reverse("notifications:public_alert", args=[private.pk]) not in (
        private_report.content.decode()
    )
