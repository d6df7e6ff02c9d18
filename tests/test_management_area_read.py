"""A management page reads its area with the municipality's name, not the municipality's
border: hundreds of points, for the maps' background only (``MUNICIPALITY_BORDER``, as
the area lists read it)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["watch:manage_area", "watch:members_print", "watch:area_signs"])
def test_a_management_page_reads_no_border(page, area, area_contact):
    area.municipality.boundary = {
        "type": "Polygon",
        "coordinates": [[[13.7, 58.6], [13.9, 58.6], [13.9, 58.8], [13.7, 58.8], [13.7, 58.6]]],
    }
    area.municipality.save()
    client = client_for(area_contact)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(page, args=[area.pk]))

    assert response.status_code == 200
    assert area.municipality.name in response.content.decode()
    read = [query["sql"] for query in queries if "watch_municipality" in query["sql"]]
    assert read, "the page names the area's municipality"
    assert not [sql for sql in read if re.search(r'municipality"?\."?boundary', sql)]
