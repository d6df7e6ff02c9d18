"""Ids typed into addresses and forms that no row can have: "²" (a digit to
``str.isdigit()``, not to ``int()``), numbers past 64 bits, 5,000 digits. Each is
refused or ignored with the page's usual answer, never a 500, and nothing is written."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from config.ids import as_id
from notifications.tips.models import Tip, TipSchedule
from tests.conftest import client_for
from tests.factories import on_paper, report_data
from watch.community.models import Observation
from watch.paper.models import Letter

pytestmark = pytest.mark.django_db

BAD_IDS = ["²", "١٢", "99999999999999999999", str(2**63), "9" * 5000, "1e3", " ", "abc"]


@pytest.mark.parametrize("text", BAD_IDS)
def test_no_id_is_read_from_text_no_key_can_hold(text):
    assert as_id(text) is None


def test_an_id_is_read_within_64_bits():
    assert (as_id("42"), as_id(" 7 "), as_id(str(2**63 - 1)), as_id("-3")) == (
        42,
        7,
        2**63 - 1,
        -3,
    )


@pytest.mark.parametrize("text", BAD_IDS)
def test_the_public_map_ignores_an_area_to_leave_out_that_cannot_be(client, area, text):
    response = client.get(reverse("watch:areas_geojson"), {"exclude": text})

    assert response.status_code == 200
    assert [f["properties"]["name"] for f in json.loads(response.content)["features"]] == [
        area.name
    ]


@pytest.mark.parametrize("text", BAD_IDS)
def test_a_report_the_same_as_one_that_cannot_be_is_refused(
    area_member, area, nothing_written, text
):
    client = client_for(area_member)
    with nothing_written():
        response = client.post(reverse("watch:observation_report"), report_data(area, same_as=text))

    assert response.status_code == 200
    assert "That report is not an open one near here." in response.content.decode()
    assert not Observation.objects.exists()


@pytest.mark.parametrize("text", BAD_IDS)
def test_a_yearly_tip_to_a_municipality_that_cannot_be_is_refused(
    coordinator, nothing_written, text
):
    tip = Tip.objects.create(theme="Inbrott", title="Lås dörren", body="Även när du är hemma.")
    client = client_for(coordinator)

    with nothing_written():
        response = client.post(
            reverse("notifications:tip_schedule", args=[tip.pk]),
            {"municipalities": [text], "month": "3", "day": "1"},
        )

    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()
    assert not TipSchedule.objects.exists()


@pytest.mark.parametrize("text", BAD_IDS)
def test_a_letter_delivered_to_a_household_that_cannot_be_is_refused(
    police, area, area_contact, send_to_areas, text
):
    paper = on_paper(area)
    alert = send_to_areas(police, area)

    response = client_for(area_contact).post(
        reverse("watch:paper_letters_delivered", args=[area.pk, alert.pk]),
        {"households": [paper.household_id, text]},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("watch:paper_letters", args=[area.pk]), 302)]
    assert "is not a valid value" in response.content.decode()
    assert not Letter.objects.exists()
