"""The link at the end of every text to a household on paper stops texts to its number,
without a login: the page asks, its button stops (a link preview that opens the page
changes nothing). The number is no longer verified and the stop is recorded for the
contacts; a forged link, or one texted to an earlier number, stops nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from notifications.alerts import services as alert_services
from notifications.sms import backends as sms_backends
from tests.conftest import client_for
from tests.factories import alert_for, texted_on_paper
from watch.paper import texts
from watch.paper.models import PaperHousehold, PaperText

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(area) -> PaperHousehold:
    return texted_on_paper(area)


def stop_url(paper: PaperHousehold) -> str:
    return reverse("watch:paper_sms_stop", args=[texts.stop_token(paper)])


def test_opening_the_link_asks_and_changes_nothing(paper):
    response = Client().get(stop_url(paper))

    assert response.status_code == 200
    assert "+46 70 174 06 05" in response.content.decode()
    paper.refresh_from_db()
    assert paper.phone_verified
    assert paper.texts_stopped_at is None


def test_the_button_stops_texts_and_the_next_alert_is_not_texted(
    paper, area, police, area_contact, django_capture_on_commit_callbacks
):
    response = Client().post(stop_url(paper))

    assert response.status_code == 200
    assert "No more texts" in response.content.decode()
    paper.refresh_from_db()
    assert (paper.phone_verified_at, paper.phone) == (None, "+46701740605")
    assert paper.texts_stopped_at is not None
    page = client_for(area_contact).get(reverse("watch:paper_household", args=[paper.pk]))
    assert "the residents stopped texts on" in page.content.decode()
    assert 'id="texts-stopped"' in page.content.decode()  # before a new code is sent
    alert = alert_for(police, area)
    with django_capture_on_commit_callbacks(execute=True):
        alert_services.send_alert(actor=police, alert=alert)
    assert not PaperText.objects.exists()
    assert sms_backends.outbox == []


def test_stopping_twice_keeps_the_first_time(paper):
    Client().post(stop_url(paper))
    paper.refresh_from_db()
    first = paper.texts_stopped_at

    response = Client().post(stop_url(paper))

    assert response.status_code == 200
    paper.refresh_from_db()
    assert paper.texts_stopped_at == first


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(lambda paper: texts.stop_token(paper)[:-1] + "a", id="altered-signature"),
        pytest.param(
            lambda paper: f"{paper.pk + 1}-{texts.stop_token(paper).partition('-')[2]}",
            id="other-id",
        ),
        pytest.param(lambda paper: f"{paper.pk}", id="unsigned"),
        pytest.param(lambda paper: "x" * 500, id="junk"),
        pytest.param(lambda paper: "99999999999999999999999-abc", id="huge-id"),
    ],
)
def test_a_forged_link_stops_nothing(paper, token):
    for method in ("get", "post"):
        url = reverse("watch:paper_sms_stop", args=[token(paper)])
        response = getattr(Client(), method)(url)

        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    paper.refresh_from_db()
    assert paper.phone_verified
    assert paper.texts_stopped_at is None


def test_a_link_texted_to_an_earlier_number_stops_nothing_on_the_new_one(paper):
    old = stop_url(paper)
    PaperHousehold.objects.filter(pk=paper.pk).update(phone="+46701740606")

    response = Client().post(old)

    assert response.status_code == 400
    paper.refresh_from_db()
    assert paper.phone_verified


def test_opening_the_link_again_says_the_texts_are_stopped_and_whom_to_ask(paper, area_contact):
    Client().post(stop_url(paper))

    again = Client().get(stop_url(paper)).content.decode()

    assert "<h1>Texts stopped</h1>" in again
    assert f"ask your area contact, {area_contact.full_name}." in again
    assert 'method="post"' not in again.split("<main")[1]
