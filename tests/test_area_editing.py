import json

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import square
from watch.areas.models import WatchArea
from watch.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def form_data(municipality, boundary, **extra):
    return {
        "municipality": municipality.pk,
        "name": "Sjöstaden",
        "status": "active",
        "boundary": json.dumps(boundary),
        "description": "",
        "start_meeting_date": "",
        **extra,
    }


def test_coordinator_creates_an_area_with_its_bounding_box(coordinator, municipality):
    response = client_for(coordinator).post(
        reverse("watch:area_create"), form_data(municipality, square(13.83, 58.72))
    )

    assert response.status_code == 302
    area = WatchArea.objects.get(name="Sjöstaden")
    assert (area.min_lon, area.min_lat, area.max_lon, area.max_lat) == pytest.approx(
        (13.83, 58.72, 13.834, 58.724)
    )
    assert AuditEntry.objects.get().action == "area_created"


def test_police_may_create_areas_too(police, municipality):
    response = client_for(police).post(
        reverse("watch:area_create"), form_data(municipality, square(13.83, 58.72))
    )

    assert response.status_code == 302
    assert WatchArea.objects.filter(name="Sjöstaden").exists()


def test_overlap_with_another_area_is_a_warning_naming_it(coordinator, municipality, area):
    overlapping = square(area.min_lon + 0.001, area.min_lat + 0.001)

    response = client_for(coordinator).post(
        reverse("watch:area_create"), form_data(municipality, overlapping), follow=True
    )

    assert WatchArea.objects.filter(name="Sjöstaden").exists()
    assert "overlaps Marieholm" in response.content.decode()


BOW_TIE = {
    "type": "Polygon",
    "coordinates": [
        [[13.83, 58.72], [13.84, 58.73], [13.84, 58.72], [13.83, 58.73], [13.83, 58.72]]
    ],
}
UNCLOSED = {
    "type": "Polygon",
    "coordinates": [[[13.83, 58.72], [13.84, 58.72], [13.84, 58.73], [13.83, 58.73]]],
}
SWAPPED = {
    "type": "Polygon",
    "coordinates": [
        [[58.72, 13.83], [58.72, 13.84], [58.73, 13.84], [58.73, 13.83], [58.72, 13.83]]
    ],
}


@pytest.mark.parametrize(
    ("boundary", "message"),
    [
        (BOW_TIE, "intersect"),
        (UNCLOSED, "closed"),
        (SWAPPED, "longitude, latitude"),
        ({"type": "Point", "coordinates": [13.83, 58.72]}, "Point"),
        ("not json", "JSON"),
        (
            {"type": "Polygon", "coordinates": [[["a", "b"], [1, 2], [3, 4], ["a", "b"]]]},
            "number",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[13.83 + i * 1e-6, 58.72] for i in range(100_000)]],
            },
            "The boundary is too large",
        ),
        (
            {"type": "Polygon", "coordinates": [[[13.83, 58.72 + i * 1e-6] for i in range(6_000)]]},
            "at most 5000 are allowed",
        ),
    ],
)
def test_bad_shapes_are_rejected_with_a_clear_message_and_nothing_is_saved(
    coordinator, municipality, boundary, message
):
    raw = boundary if isinstance(boundary, str) else json.dumps(boundary)

    response = client_for(coordinator).post(
        reverse("watch:area_create"), {**form_data(municipality, {}), "boundary": raw}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WatchArea.objects.exists()
    assert not AuditEntry.objects.exists()


def test_coordinator_cannot_create_an_area_in_another_municipality(other_coordinator, municipality):
    response = client_for(other_coordinator).post(
        reverse("watch:area_create"), form_data(municipality, square(13.83, 58.72))
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not WatchArea.objects.exists()


def test_coordinator_pauses_an_area(coordinator, area):
    data = form_data(area.municipality, area.boundary, name=area.name, status="paused")

    client_for(coordinator).post(reverse("watch:area_edit", args=[area.pk]), data)

    area.refresh_from_db()
    assert area.status == "paused"


def test_area_contact_cannot_edit_the_boundary(area_contact, area):
    before = area.boundary
    data = form_data(area.municipality, square(13.9, 58.8), name=area.name)

    response = client_for(area_contact).post(reverse("watch:area_edit", args=[area.pk]), data)

    assert response.status_code == 403
    area.refresh_from_db()
    # Unchanged, whatever square the factory drew (its grid includes 13.9, 58.8 too).
    assert area.boundary == before


def test_official_without_two_factor_is_sent_to_set_it_up(municipality):
    from tests.factories import official

    user = official("coordinator", municipality, mfa=False)

    response = client_for(user).get(reverse("watch:area_create"))

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_a_10_mb_body_is_refused_before_any_parsing(coordinator, municipality):
    huge = "[" * 10 * 1024 * 1024

    response = client_for(coordinator).post(
        reverse("watch:area_create"), {**form_data(municipality, {}), "boundary": huge}
    )

    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()
    assert not WatchArea.objects.exists()


def test_a_coordinator_of_one_municipality_finds_it_chosen(coordinator, municipality):
    form = client_for(coordinator).get(reverse("watch:area_create")).context["form"]

    assert form["municipality"].value() == municipality.pk


def test_a_coordinator_of_two_municipalities_chooses(coordinator, municipality):
    from tests.factories import MunicipalityFactory

    coordinator.official.municipalities.add(MunicipalityFactory())

    form = client_for(coordinator).get(reverse("watch:area_create")).context["form"]

    assert form["municipality"].value() is None
