""" "Is it one of these?" before a report is sent: the report form asks the server as soon
as its category and place are chosen (static/js/observation-nearby.js;
tests/test_duplicate_hint_browser.py shows it in Chromium). The answer is the section the
form shows on sending without JavaScript, for whoever may send a report: nothing more
(no other member's text, photo or name), rate-limited, and refused for a bad question."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import centre, member_of, observation_in
from watch.community.models import Observation

pytestmark = pytest.mark.django_db

URL = reverse("watch:observation_nearby")


def question(area, category: str = "graffiti") -> dict[str, str]:
    lon, lat = centre(area)
    return {"category": category, "longitude": f"{lon:.6f}", "latitude": f"{lat:.6f}"}


def test_a_member_is_shown_reports_of_the_same_kind_nearby_before_sending(area, area_member):
    neighbour = member_of(area, full_name="Nils Granne")
    open_one = observation_in(area, reporter=neighbour, description="Tags på elskåpet")
    handled = observation_in(area, reporter=neighbour, status="handled")
    Observation.objects.filter(pk=handled.pk).update(handled_at=handled.created_at)

    response = client_for(area_member).get(URL, question(area))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Is it one of these?" in html
    assert f"No. {open_one.pk}: Graffiti" in html
    assert f'name="same_as" value="{open_one.pk}"' in html
    assert f"No. {handled.pk}: Graffiti" in html
    assert f'name="same_as" value="{handled.pk}"' not in html  # closed: nothing to add to
    assert 'name="new_report"' in html
    # What the hint on sending shows, no more; and the photo chosen is still in the form.
    assert "Tags på elskåpet" not in html
    assert "Nils Granne" not in html
    assert neighbour.email not in html
    assert "choose it again" not in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_nothing_nearby_is_an_empty_answer(area, area_member):
    observation_in(area, category="vandalism")

    response = client_for(area_member).get(URL, question(area))

    assert (response.status_code, response.content.strip()) == (200, b"")


def test_only_those_who_may_report_may_ask(area, member, client):
    observation_in(area)

    assert client_for(member).get(URL, question(area)).status_code == 403  # no household
    response = client.get(URL, question(area))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_asking_is_rate_limited(area, area_member, settings):
    settings.RATE_LIMITS = {"observation_nearby": "2/h"}
    client = client_for(area_member)

    answers = [client.get(URL, question(area)).status_code for _n in range(3)]

    assert answers == [200, 200, 429]


def test_the_form_asks_the_endpoint_and_still_shows_the_hint_on_sending(area, area_member):
    client = client_for(area_member)

    form = client.get(reverse("watch:observation_report")).content.decode()

    assert f'data-nearby-url="{URL}"' in form
    assert "js/observation-nearby.js" in form
