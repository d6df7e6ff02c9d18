"""An area's page maps the area itself: its outline, fitted, with a caption saying so, and
the visitor's own home only when it is in the area (nobody else's)."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import HouseholdFactory, resident

pytestmark = pytest.mark.django_db


def json_script(html: str, element_id: str) -> object:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert match is not None, element_id
    return json.loads(match.group(1))


def test_the_map_outlines_the_area_for_anyone(client, area, area_member):
    html = client.get(reverse("watch:area_detail", args=[area.pk])).content.decode()

    assert json_script(html, "area-outlines") == [area.boundary]
    assert json_script(html, "area-points") == []  # not the members' homes
    assert 'data-map="points"' in html
    assert "The outline of Marieholm." in html


def test_a_resident_of_the_area_sees_their_home_in_it(area, area_member):
    html = client_for(area_member).get(reverse("watch:area_detail", args=[area.pk]))
    points = json_script(html.content.decode(), "area-points")

    household = area_member.household_member.household
    # [longitude, latitude, label], in millionths of a degree (watch.areas.widgets.map_point).
    [(longitude, latitude, label)] = points
    assert (type(longitude), type(latitude)) == (int, int)
    assert longitude / 1_000_000 == pytest.approx(household.longitude, abs=5e-7)
    assert latitude / 1_000_000 == pytest.approx(household.latitude, abs=5e-7)
    assert label == "Your home"
    assert "The outline of Marieholm, and your home in it." in html.content.decode()


def test_a_resident_elsewhere_is_not_pinned_on_it(member, area, area_b):
    resident(member, HouseholdFactory.inside(area_b))

    html = client_for(member).get(reverse("watch:area_detail", args=[area.pk])).content.decode()

    assert json_script(html, "area-points") == []
