"""A management page's area (``watch.areas.selectors.area_with_municipality``): in one
query, every field of the area as the ORM reads it, and its municipality's but the
border, so that nothing a page shows is read again."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from watch.areas.models import Municipality, WatchArea
from watch.areas.selectors import area_with_municipality

pytestmark = pytest.mark.django_db


def _same_fields(read, expected, model, skip=()):
    for field in model._meta.concrete_fields:
        if field.name in skip:
            continue
        value, wanted = getattr(read, field.attname), getattr(expected, field.attname)
        assert value == wanted, field.name
        assert type(value) is type(wanted), field.name


def test_the_area_and_its_municipality_as_the_orm_reads_them(area):
    area.start_meeting_date = date(2026, 3, 1)
    area.confirmed_at = datetime(2026, 11, 2, 18, 30).astimezone()
    area.save()
    municipality = area.municipality
    municipality.how_to_start = "Ring kommunen."
    municipality.households_total = 12_000
    municipality.boundary = {"type": "Polygon", "coordinates": []}
    municipality.save()

    with CaptureQueriesContext(connection) as queries:
        read = area_with_municipality(area.pk)
        assert read is not None
        _same_fields(read, WatchArea.objects.get(pk=area.pk), WatchArea)
        _same_fields(
            read.municipality,
            Municipality.objects.get(pk=municipality.pk),
            Municipality,
            skip={"boundary"},
        )

    assert len(queries) == 3  # the read, and the two the comparison makes
    assert read.municipality.get_deferred_fields() == {"boundary"}
    assert read.get_deferred_fields() == set()
    extra = {name for name in vars(read) if name.startswith("municipality_")}
    assert extra == {"municipality_id"}  # the key, not the columns read with it


@pytest.mark.parametrize("offset", [1000, 2**64])
def test_no_area_is_none(area, offset):
    assert area_with_municipality(area.pk + offset) is None


def test_a_key_too_large_for_any_row_is_not_found(client, area, area_contact):
    client.force_login(area_contact)

    response = client.get(reverse("watch:area_edit", args=[2**64]))

    assert response.status_code == 404


def test_an_area_so_read_saves_as_any(area):
    read = area_with_municipality(area.pk)
    read.name = "Nytt namn"

    read.save()

    assert WatchArea.objects.get(pk=area.pk).name == "Nytt namn"
    assert Municipality.objects.get(pk=area.municipality_id).name == read.municipality.name
