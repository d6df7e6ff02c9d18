"""The composer's second step, Who: areas picked on the map or in the list, whole
municipalities, or a shape around an incident; only what the sender may send to."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.alerts.models import Alert, TargetKind
from notifications.alerts.targeting import resolve_areas
from tests.conftest import client_for
from tests.factories import WatchAreaFactory, alert_for, square
from watch.areas.models import AreaStatus

pytestmark = pytest.mark.django_db


def who(alert: Alert) -> str:
    return reverse("notifications:alert_who", args=[alert.pk])


def picked_on_the_map(content: str) -> list[dict]:
    """The areas the page's map offers (its json_script)."""
    script = content.split('<script id="pick-areas" type="application/json">')[1]
    return json.loads(script.split("</script>")[0])


def test_areas_picked_are_saved_and_it_goes_on_to_when(police, area, area_b):
    draft = alert_for(police)

    response = client_for(police).post(
        who(draft), {"target_kind": "areas", "target_areas": [area.pk, area_b.pk]}
    )

    assert response.url == reverse("notifications:alert_when", args=[draft.pk])
    assert set(draft.target_areas.all()) == {area, area_b}


def test_the_map_and_the_list_offer_the_same_areas_by_name(police, area, area_b, area_c):
    draft = alert_for(police, area)

    page = client_for(police).get(who(draft)).content.decode()

    offered = picked_on_the_map(page)
    assert [(a["id"], a["name"], a["municipality"]) for a in offered] == [
        (area_b.pk, "Ekudden", "Mariestad"),
        (area.pk, "Marieholm", "Mariestad"),
    ]
    assert offered[0]["geometry"] == area_b.boundary
    assert 'data-map="pick"' in page
    assert 'data-areas="pick-areas"' in page
    assert 'data-checkboxes="target_areas"' in page
    for offered_area in (area, area_b):
        assert f'name="target_areas" value="{offered_area.pk}"' in page
    assert f'value="{area.pk}" id="id_target_areas_1" checked' in page  # the draft's, ticked
    assert "Bråten" not in page  # another municipality's area


def test_only_active_areas_are_offered(police, area, area_b):
    area_b.status = AreaStatus.PAUSED
    area_b.save()
    draft = alert_for(police)
    client = client_for(police)

    offered = picked_on_the_map(client.get(who(draft)).content.decode())
    refused = client.post(who(draft), {"target_kind": "areas", "target_areas": [area_b.pk]})

    assert [a["name"] for a in offered] == ["Marieholm"]
    assert "Select a valid choice" in refused.content.decode()
    assert not draft.target_areas.exists()


def test_whole_municipalities(police, municipality, area, area_b):
    draft = alert_for(police, area)

    client_for(police).post(
        who(draft), {"target_kind": "municipalities", "target_municipalities": [municipality.pk]}
    )

    draft.refresh_from_db()
    assert draft.target_kind == TargetKind.MUNICIPALITIES
    assert list(draft.target_municipalities.all()) == [municipality]
    assert not draft.target_areas.exists()  # one way of choosing at a time
    assert set(resolve_areas(draft)) == {area, area_b}


def test_a_polygon_drawn_around_an_incident(police, municipality):
    near = WatchAreaFactory(municipality=municipality, boundary=square(13.90, 58.90, 0.004))
    draft = alert_for(police)
    incident = square(13.899, 58.899, 0.002)

    client_for(police).post(
        who(draft), {"target_kind": "shape", "shape": json.dumps(incident), "target_areas": []}
    )

    draft.refresh_from_db()
    assert draft.target_kind == TargetKind.SHAPE
    assert draft.target_shape["type"] == "Polygon"
    # Around an incident: every municipality the officer serves, none other.
    assert list(draft.target_municipalities.all()) == [municipality]
    assert resolve_areas(draft) == [near]


def test_a_circle_typed_under_advanced(police, municipality):
    near = WatchAreaFactory(municipality=municipality, boundary=square(13.90, 58.90, 0.004))
    draft = alert_for(police)

    client_for(police).post(
        who(draft),
        {
            "target_kind": "shape",
            "circle_longitude": "13.902",
            "circle_latitude": "58.902",
            "circle_radius": "200",
        },
    )

    draft.refresh_from_db()
    assert resolve_areas(draft) == [near]


def test_the_shape_fields_are_under_advanced_beside_the_drawing_map(police, area):
    page = client_for(police).get(who(alert_for(police))).content.decode()

    advanced = page.split('<details class="advanced"')[1].split("</details>")[0]
    for field in ("id_shape", "id_circle_longitude", "id_circle_latitude", "id_circle_radius"):
        assert f'id="{field}"' in advanced
    assert 'data-map="shape"' in page.split('<details class="advanced"')[0]


def test_bad_shape_input_opens_advanced_and_writes_nothing(police, area):
    draft = alert_for(police, area)

    response = client_for(police).post(
        who(draft), {"target_kind": "shape", "shape": '{"type": "Point"}'}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert '<details class="advanced" open>' in content
    assert "There is a problem" in content
    draft.refresh_from_db()
    assert (draft.target_kind, draft.target_shape) == ("areas", None)
    assert list(draft.target_areas.all()) == [area]


def test_an_area_contact_picks_only_their_own_areas(area_contact, area, area_b):
    draft = alert_for(area_contact, kind="information")
    client = client_for(area_contact)

    page = client.get(who(draft)).content.decode()
    refused = client.post(who(draft), {"target_kind": "areas", "target_areas": [area_b.pk]})
    by_shape = client.post(
        who(draft), {"target_kind": "shape", "shape": json.dumps(square(13.8, 58.6, 0.5))}
    )

    assert [a["name"] for a in picked_on_the_map(page)] == ["Marieholm"]
    # Their only area is ticked already, and there is no other way of choosing to offer.
    assert f'value="{area.pk}" id="id_target_areas_0" checked' in page
    assert '<input type="hidden" name="target_kind" value="areas"' in page
    assert 'data-map="shape"' not in page
    assert "Select a valid choice" in refused.content.decode()
    assert "Select a valid choice" in by_shape.content.decode()
    assert not draft.target_areas.exists()


def test_someone_elses_draft_is_not_theirs_to_target(police, coordinator, admin_user, area):
    draft = alert_for(police)
    data = {"target_kind": "areas", "target_areas": [area.pk]}

    assert client_for(coordinator).post(who(draft), data).status_code == 404
    assert client_for(admin_user).post(who(draft), data).status_code == 403
    assert not draft.target_areas.exists()


def test_the_page_runs_the_same_queries_however_many_areas(police, municipality):
    draft = alert_for(police, WatchAreaFactory(municipality=municipality))
    WatchAreaFactory(municipality=municipality)
    client = client_for(police)
    client.get(who(draft))  # the session is warm

    with CaptureQueriesContext(connection) as few:
        client.get(who(draft))
    for _ in range(8):
        draft.target_areas.add(WatchAreaFactory(municipality=municipality))
    with CaptureQueriesContext(connection) as many:
        response = client.get(who(draft))

    assert len(picked_on_the_map(response.content.decode())) == 10
    assert len(many.captured_queries) == len(few.captured_queries) <= 13
