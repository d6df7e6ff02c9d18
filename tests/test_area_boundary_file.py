"""A watch area's boundary from a GeoJSON file (the area form's "Or a boundary file"):
the file wins over the text, and a file over the limit or not GeoJSON is refused with the
reason before anything is saved. The browser's own size check: tests/test_file_size_browser.py."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import square
from watch.areas.models import WatchArea
from watch.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def geojson_file(content: object, name: str = "sjostaden.geojson") -> SimpleUploadedFile:
    raw = content if isinstance(content, bytes) else json.dumps(content).encode()
    return SimpleUploadedFile(name, raw, content_type="application/geo+json")


def form_data(municipality, **extra):
    return {
        "municipality": municipality.pk,
        "name": "Sjöstaden",
        "status": "active",
        "boundary": "",
        "description": "",
        **extra,
    }


def test_a_coordinator_creates_an_area_from_a_file(coordinator, municipality):
    feature = {"type": "Feature", "properties": {}, "geometry": square(13.83, 58.72)}

    response = client_for(coordinator).post(
        reverse("watch:area_create"),
        form_data(municipality, boundary_file=geojson_file(feature)),
    )

    area = WatchArea.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("watch:manage_area", args=[area.pk])
    assert (area.min_lon, area.min_lat) == pytest.approx((13.83, 58.72))


def test_a_file_with_a_byte_order_mark_is_read(coordinator, municipality):
    raw = "\ufeff".encode() + json.dumps(square(13.83, 58.72)).encode()

    client_for(coordinator).post(
        reverse("watch:area_create"), form_data(municipality, boundary_file=geojson_file(raw))
    )

    assert WatchArea.objects.count() == 1


def test_on_an_edit_the_file_replaces_the_boundary_in_the_text(coordinator, area):
    data = form_data(
        area.municipality,
        name=area.name,
        boundary=json.dumps(area.boundary),
        boundary_file=geojson_file(square(13.97, 58.79)),
    )

    client_for(coordinator).post(reverse("watch:area_edit", args=[area.pk]), data)

    area.refresh_from_db()
    assert (area.min_lon, area.min_lat) == pytest.approx((13.97, 58.79))


def test_a_file_over_the_limit_is_refused_naming_the_limit(coordinator, municipality, settings):
    settings.GEOMETRY_MAX_INPUT_BYTES = 2048
    padded = json.dumps(square(13.83, 58.72)).encode() + b" " * 3000

    response = client_for(coordinator).post(
        reverse("watch:area_create"), form_data(municipality, boundary_file=geojson_file(padded))
    )

    assert response.status_code == 200
    assert "a boundary file can be at most 2.0\xa0KB" in response.content.decode()
    assert not WatchArea.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "The boundary is not valid JSON."),
        (b"<kml><Document/></kml>", "The boundary is not valid JSON."),
        (b"", "The submitted file is empty."),
        ({"type": "Point", "coordinates": [13.8, 58.7]}, "Polygon"),
    ],
    ids=["an image", "kml", "empty", "a point"],
)
def test_a_file_that_is_not_a_boundary_is_refused(coordinator, municipality, content, message):
    response = client_for(coordinator).post(
        reverse("watch:area_create"), form_data(municipality, boundary_file=geojson_file(content))
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WatchArea.objects.exists()


def test_with_neither_text_nor_file_the_boundary_is_required(coordinator, municipality):
    response = client_for(coordinator).post(reverse("watch:area_create"), form_data(municipality))

    assert response.status_code == 200
    assert response.context["form"].errors["boundary"] == ["This field is required."]
    assert not WatchArea.objects.exists()


def test_the_form_is_sent_as_multipart_and_names_the_limit(coordinator, settings):
    settings.GEOMETRY_MAX_INPUT_BYTES = 1_000_000

    page = client_for(coordinator).get(reverse("watch:area_create")).content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert 'data-max-bytes="1000000"' in page
    assert "at most 976.6\xa0KB" in page
