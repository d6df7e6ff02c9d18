"""The area contact's dashboard lists households 50 at a time; the map shows them all."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import client_for
from tests.factories import member_of
from watch.dashboards.views import HOUSEHOLDS_PAGE_SIZE
from watch.households.models import Household

pytestmark = pytest.mark.django_db


def dashboard(contact, area, page: int | None = None) -> str:  # type: ignore[no-untyped-def]
    url = reverse("watch:manage_area", args=[area.pk])
    query = {"page": page} if page else {}
    return client_for(contact).get(url, query).content.decode()


def households_listed(html: str) -> list[str]:
    table = html.split('<tbody role="rowgroup">')[-1].split("</tbody>")[0]
    return re.findall(r'<th scope="row" role="rowheader">([^<]+)<br>', table)


def test_a_large_area_is_listed_a_page_at_a_time_in_address_order(area, area_contact):
    for _ in range(HOUSEHOLDS_PAGE_SIZE + 1):
        member_of(area)
    # The area contact's own household is a member too.
    addresses = sorted(Household.objects.values_list("street_address", flat=True))

    first, second = dashboard(area_contact, area), dashboard(area_contact, area, page=2)

    assert households_listed(first) == addresses[:HOUSEHOLDS_PAGE_SIZE]
    assert households_listed(second) == addresses[HOUSEHOLDS_PAGE_SIZE:]
    assert "?page=2" in first
    assert "Next" in first
    assert "?page=1" in second
    assert "Previous" in second
    points = json.loads(
        first.split('id="household-points" type="application/json">')[1].split("</script>")[0]
    )
    assert len(points) == len(addresses)


def test_a_small_area_has_no_page_links(area, area_contact):
    member_of(area)

    html = dashboard(area_contact, area)

    assert len(households_listed(html)) == 2
    assert "?page=" not in html


def test_the_page_links_are_in_swedish(area, area_contact):
    for _ in range(HOUSEHOLDS_PAGE_SIZE + 1):
        member_of(area)
    area_contact.language = "sv"
    area_contact.save()

    with translation.override("sv"):
        html = dashboard(area_contact, area)

    assert "Nästa" in html
    assert "Older" not in html
    assert "Äldre" not in html
