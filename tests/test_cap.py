"""Public alerts as CAP 1.2 documents, each variant validated against the OASIS schema."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema
from django.urls import reverse
from django.utils import timezone, translation

from notifications.alerts.models import AlertStatus, Kind, Severity, TargetKind
from notifications.public import cap
from tests.factories import WatchAreaFactory, sent_public_alert, square, version_of
from watch.areas.geometry import parsing, shapes

pytestmark = pytest.mark.django_db

SCHEMA = xmlschema.XMLSchema(Path(__file__).parent / "data" / "CAP-v1.2.xsd")
NS = {"cap": cap.NAMESPACE}


def fetch(client, alert) -> ElementTree.Element:
    response = client.get(reverse("notifications:alert_cap", args=[alert.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/cap+xml; charset=utf-8"
    SCHEMA.validate(response.content)  # raises with the reason if invalid
    return ElementTree.fromstring(response.content)  # noqa: S314 - the project's own output


def text(root: ElementTree.Element, path: str) -> str | None:
    element = root.find(path, NS)
    return None if element is None else element.text


def polygons(root: ElementTree.Element) -> list[list[tuple[float, float]]]:
    return [
        [tuple(float(n) for n in pair.split(",")) for pair in polygon.text.split(" ")]
        for polygon in root.iterfind("cap:info/cap:area/cap:polygon", NS)
    ]


def test_an_actual_alert(client, police, area, settings):
    settings.SITE_URL = "https://grannsamverkan.example.com"
    alert = sent_public_alert(
        police,
        area,
        severity=Severity.URGENT,
        expires_at=timezone.now() + timedelta(days=1),
        title="Inbrott <nu> & då",
    )

    root = fetch(client, alert)

    assert text(root, "cap:identifier") == f"grannsamverkan.example.com:alert:{alert.pk}"
    assert text(root, "cap:sender") == "grannsamverkan.example.com"
    assert text(root, "cap:status") == "Actual"
    assert text(root, "cap:msgType") == "Alert"
    assert text(root, "cap:scope") == "Public"
    assert root.find("cap:references", NS) is None
    assert text(root, "cap:info/cap:language") == "sv-SE"
    assert text(root, "cap:info/cap:category") == "Security"
    with translation.override("sv"):
        assert text(root, "cap:info/cap:event") == str(Kind.POLICE_ALERT.label)
    assert text(root, "cap:info/cap:urgency") == "Immediate"
    assert text(root, "cap:info/cap:severity") == "Severe"
    assert text(root, "cap:info/cap:certainty") == "Observed"
    assert text(root, "cap:info/cap:headline") == "Inbrott <nu> & då"
    assert text(root, "cap:info/cap:expires") == cap.cap_time(alert.expires_at)
    assert text(root, "cap:info/cap:web") == (
        "https://grannsamverkan.example.com"
        + reverse("notifications:public_alert", args=[alert.pk])
    )
    assert text(root, "cap:info/cap:area/cap:areaDesc") == "Marieholm, Mariestad"
    # CAP order is latitude first; the ring is closed and is the area's boundary.
    [ring] = polygons(root)
    assert ring[0] == ring[-1]
    assert [(lon, lat) for lat, lon in ring] == shapes.outer_rings(area.shape)[0]


def test_sent_has_cap_format_with_offset():
    moment = timezone.now().replace(microsecond=123456)
    formatted = cap.cap_time(moment)
    assert "." not in formatted
    assert formatted[-6] in "+-"


def test_an_exercise(client, police, area):
    alert = sent_public_alert(police, area, is_exercise=True, kind=Kind.TIP)

    root = fetch(client, alert)

    assert text(root, "cap:status") == "Exercise"
    assert text(root, "cap:note")
    assert text(root, "cap:info/cap:urgency") == "Future"
    assert text(root, "cap:info/cap:severity") == "Minor"
    assert text(root, "cap:info/cap:certainty") == "Unknown"


def test_an_update_refers_to_the_public_original(client, police, area):
    original = sent_public_alert(police, area)
    update = sent_public_alert(police, area, refers_to=original, title="Rättelse")

    root = fetch(client, update)

    assert text(root, "cap:msgType") == "Update"
    assert text(root, "cap:references") == (
        f"{cap.sender()},{cap.identifier(original)},{text(fetch(client, original), 'cap:sent')}"
    )


def test_an_update_of_a_members_only_alert_does_not_reveal_it(client, police, area):
    original = sent_public_alert(police, area, is_public=False)
    update = sent_public_alert(police, area, refers_to=original)

    root = fetch(client, update)

    assert text(root, "cap:msgType") == "Alert"
    assert root.find("cap:references", NS) is None


def test_a_multipolygon_area_has_one_polygon_per_part(client, police, municipality):
    first, second = square(13.50, 58.50), square(13.60, 58.50)
    area = WatchAreaFactory(
        municipality=municipality,
        name="Två delar",
        boundary={
            "type": "MultiPolygon",
            "coordinates": [first["coordinates"], second["coordinates"]],
        },
    )
    alert = sent_public_alert(police, area)

    rings = polygons(fetch(client, alert))

    assert len(rings) == 2
    assert rings[0][0] == (58.50, 13.50)
    assert all(ring[0] == ring[-1] and len(ring) >= 4 for ring in rings)


def test_a_shape_target_is_the_drawn_shape(client, police, area):
    circle = shapes.to_geojson(parsing.circle(13.82, 58.71, 500, segments=16))
    alert = sent_public_alert(
        police, area, target_kind=TargetKind.SHAPE, target_shape=circle, kind=Kind.WARNING
    )

    root = fetch(client, alert)

    assert text(root, "cap:info/cap:category") == "Safety"
    areas = root.findall("cap:info/cap:area", NS)
    assert len(areas) == 1
    [ring] = polygons(root)
    assert len(ring) == 17
    assert ring[0] == ring[-1]


def test_escaping_and_control_characters(client, police, area):
    alert = sent_public_alert(
        police, area, title="<script>alert(1)</script>", body="a & b\x0c <b>c</b> ]]>"
    )

    response = client.get(reverse("notifications:alert_cap", args=[alert.pk]))
    root = fetch(client, alert)

    assert b"<script>" not in response.content
    assert text(root, "cap:info/cap:headline") == "<script>alert(1)</script>"
    assert text(root, "cap:info/cap:description") == "a & b <b>c</b> ]]>"


@pytest.mark.parametrize(
    "fields",
    [
        {"is_public": False},
        {"status": AlertStatus.DRAFT},
        {"status": AlertStatus.SCHEDULED},
        {"status": AlertStatus.SENDING},
        # Cancelled before it went out: a Cancel would publish where and what it was about.
        {"status": AlertStatus.CANCELLED},
        {"status": AlertStatus.CANCELLED, "is_public": False},
    ],
    ids=["members-only", "draft", "scheduled", "sending", "cancelled", "cancelled-members-only"],
)
def test_no_document_for_what_is_not_public(client, police, area, fields):
    alert = sent_public_alert(police, area, **fields)

    response = client.get(reverse("notifications:alert_cap", args=[alert.pk]))

    assert response.status_code == 404


# --- Every language, and the municipalities by their SCB code ------------------------------


def geocodes(area: ElementTree.Element) -> list[tuple[str | None, str | None]]:
    return [
        (text(geocode, "cap:valueName"), text(geocode, "cap:value"))
        for geocode in area.iterfind("cap:geocode", NS)
    ]


def test_a_multi_language_alert_has_one_info_per_language(client, police, area, area_c):
    alert = sent_public_alert(police, area, area_c, title="Bilinbrott", body="Flera bilar.")
    version_of(alert, "ar", "سرقة سيارات", "عدة سيارات.")
    version_of(alert, "en", "Car break-ins", "Several cars.")
    version_of(alert, "sv-x-lattlast", "Tjuvar i bilar", "Tjuvar har tagit saker ur bilar.")

    root = fetch(client, alert)  # valid against the OASIS schema

    infos = root.findall("cap:info", NS)
    # Swedish first, then in the order the deployment lists its languages.
    assert [text(info, "cap:language") for info in infos] == [
        "sv-SE",
        "en",
        "sv-SE-x-lattlast",
        "ar",
    ]
    assert [text(info, "cap:headline") for info in infos] == [
        "Bilinbrott",
        "Car break-ins",
        "Tjuvar i bilar",
        "سرقة سيارات",
    ]
    assert text(infos[3], "cap:description") == "عدة سيارات."
    # The fixed texts in the info's language where the site has it, else in Swedish.
    assert text(infos[1], "cap:event") == "Police alert"
    assert text(infos[3], "cap:event") == text(infos[0], "cap:event")
    # Every info names the same places, each area with its municipality's SCB code.
    for info in infos:
        areas = info.findall("cap:area", NS)
        assert [geocodes(cap_area) for cap_area in areas] == [
            [("Kommun", "1493")],
            [("Kommun", "1473")],
        ]


def test_a_shape_carries_the_codes_of_the_municipalities_it_reached(client, police, area, area_c):
    circle = shapes.to_geojson(parsing.circle(13.82, 58.71, 500, segments=16))
    alert = sent_public_alert(
        police, area, area_c, target_kind=TargetKind.SHAPE, target_shape=circle
    )

    root = fetch(client, alert)

    [cap_area] = root.findall("cap:info/cap:area", NS)
    assert geocodes(cap_area) == [("Kommun", "1473"), ("Kommun", "1493")]
