"""Alerts texted to households on paper: each alert that is a letter to such a household
(tests/test_paper_letters.py) is also a text to its number once a resident verified it,
written at dispatch as one row per (alert, household), sent through the SMS backend and
retried like members' texts. What must not happen: an unverified or stopped number, a
test or an expired alert texted; a delivery row for a household without members."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from notifications.alerts import delivery as alert_delivery
from notifications.alerts import services as alert_services
from notifications.alerts.models import Delivery
from notifications.rendering import absolute
from notifications.sms import backends as sms_backends
from tests.conftest import client_for
from tests.factories import alert_for, member_of, on_paper, texted_on_paper, version_of
from tests.recorded_http import recorded_server
from watch.paper import selectors as paper_selectors
from watch.paper import texts
from watch.paper.models import PaperText

pytestmark = pytest.mark.django_db

ELKS_DATA = Path(__file__).parent / "data" / "46elks"
# 10:00 in Stockholm, outside quiet hours; 23:30, inside them.
DAY = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)
NIGHT = dt.datetime(2026, 12, 4, 22, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _daytime():
    with time_machine.travel(DAY, tick=False):
        yield


def test_an_alert_is_texted_to_a_verified_number_with_the_contact_and_a_stop_link(
    police, area, area_contact, send_to_areas
):
    paper = texted_on_paper(area)

    alert = send_to_areas(
        police, area, title="Inbrott på Storgatan", body="Lås dörrar och fönster."
    )

    text = PaperText.objects.get(alert=alert, household=paper.household)
    assert (text.status, text.attempts) == ("sent", 1)
    [message] = sms_backends.outbox
    assert message.to == "+46701740605"
    assert message.body.startswith("Inbrott på Storgatan\nLås dörrar och fönster.\n")
    assert "Area contact: Eva Kontakt." in message.body
    stop = reverse("watch:paper_sms_stop", args=[texts.stop_token(paper)])
    assert message.body.endswith(f"Stop texts: {absolute(stop)}")
    assert message.receipt_url is not None
    assert alert.status == "sent"


def test_the_text_is_in_the_services_language_not_a_members_choice(
    police, area, area_contact, settings, django_capture_on_commit_callbacks
):
    texted_on_paper(area)
    alert = alert_for(police, area, title="Inbrott", body="Lås dörren.")
    version_of(alert, "en", title="Burglary", body="Lock the door.")
    settings.LANGUAGE_CODE = "sv"

    with django_capture_on_commit_callbacks(execute=True):
        alert_services.send_alert(actor=police, alert=alert)

    [message] = sms_backends.outbox
    assert message.body.startswith("Inbrott\nLås dörren.\nKontaktombud: Eva Kontakt.")
    assert "Stoppa sms: " in message.body


def test_a_long_alert_is_shortened_but_keeps_the_contact_and_the_stop_link(
    police, area, area_contact, send_to_areas, settings
):
    settings.SMS_MAX_SEGMENTS = 2
    paper = texted_on_paper(area)

    send_to_areas(police, area, body="Var uppmärksam. " * 40)

    [message] = sms_backends.outbox
    assert "..." in message.body
    assert "Area contact: Eva Kontakt." in message.body
    assert message.body.endswith(f"/sms/stop/{texts.stop_token(paper)}/")


def test_unverified_and_stopped_numbers_and_households_without_one_get_nothing(
    police, area, send_to_areas
):
    on_paper(area, phone="+46701740601")  # typed in, never confirmed
    on_paper(area, phone="+46701740602", texts_stopped_at=timezone.now())
    on_paper(area)  # no number

    alert = send_to_areas(police, area)

    assert not PaperText.objects.filter(alert=alert).exists()
    assert sms_backends.outbox == []


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"is_exercise": True}, id="test-or-exercise"),
        pytest.param({"expires_at": DAY - dt.timedelta(minutes=1)}, id="expired"),
    ],
)
def test_tests_exercises_and_expired_alerts_are_not_texted(police, area, send_to_areas, fields):
    texted_on_paper(area)

    send_to_areas(police, area, **fields)

    assert not PaperText.objects.exists()
    assert sms_backends.outbox == []


def test_households_on_paper_get_no_delivery_rows_and_members_theirs(police, area, send_to_areas):
    texted_on_paper(area)
    neighbour = member_of(area)

    alert = send_to_areas(police, area)

    assert set(Delivery.objects.filter(alert=alert).values_list("user", flat=True)) == {
        neighbour.pk
    }
    assert PaperText.objects.filter(alert=alert).count() == 1


def test_another_areas_households_are_not_texted(police, area, area_b, send_to_areas):
    texted_on_paper(area_b)

    send_to_areas(police, area)

    assert not PaperText.objects.exists()


def test_dispatch_writes_each_text_once(police, area, django_capture_on_commit_callbacks):
    texted_on_paper(area)
    alert = alert_for(police, area)

    for _ in range(2):
        texts.write(alert, [area.pk], timezone.now())

    assert PaperText.objects.filter(alert=alert).count() == 1


def test_at_night_a_normal_alert_waits_for_the_morning_and_an_urgent_one_goes(
    police, area, send_to_areas, django_capture_on_commit_callbacks
):
    texted_on_paper(area)

    with time_machine.travel(NIGHT, tick=False):
        normal = send_to_areas(police, area, title="Tips om lås")
        urgent = send_to_areas(police, area, title="Brand", severity="urgent")

    assert [message.body.split("\n")[0] for message in sms_backends.outbox] == ["Brand"]
    waiting = PaperText.objects.get(alert=normal)
    assert waiting.status == "queued"
    assert waiting.next_attempt_at == dt.datetime(2026, 12, 5, 6, 0, tzinfo=dt.UTC)  # 07:00
    assert PaperText.objects.get(alert=urgent).status == "sent"
    with (
        time_machine.travel(dt.datetime(2026, 12, 5, 6, 1, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        alert_delivery.sweep()
    waiting.refresh_from_db()
    assert waiting.status == "sent"
    assert sms_backends.outbox[-1].body.startswith("Tips om lås")


def test_a_number_stopped_while_its_text_waits_is_not_texted(
    police, area, send_to_areas, django_capture_on_commit_callbacks
):
    paper = texted_on_paper(area)
    with time_machine.travel(NIGHT, tick=False):
        alert = send_to_areas(police, area)
    Client().post(reverse("watch:paper_sms_stop", args=[texts.stop_token(paper)]))

    with (
        time_machine.travel(dt.datetime(2026, 12, 5, 6, 1, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        alert_delivery.sweep()

    text = PaperText.objects.get(alert=alert)
    assert (text.status, text.last_error) == ("skipped", texts.NOT_VERIFIED)
    assert sms_backends.outbox == []


@pytest.fixture
def elks(settings, monkeypatch):
    """The real 46elks client, against its recorded answers on loopback."""
    with recorded_server(ELKS_DATA, monkeypatch, path="/a1") as fake:
        settings.SMS_BACKEND = "notifications.sms.elks.ElksBackend"
        settings.ELKS_API_URL = fake.url
        settings.ELKS_API_USERNAME = "u0123456789abcdef0123456789abcdef"
        settings.ELKS_API_PASSWORD = "0123456789ABCDEF0123456789ABCDEF"
        settings.ELKS_DRY_RUN = False
        yield fake


def test_a_provider_outage_is_retried_and_the_text_sent_once(
    police, area, send_to_areas, elks, django_capture_on_commit_callbacks
):
    texted_on_paper(area)
    elks.respond_with("server_error", "success_single")

    alert = send_to_areas(police, area)

    text = PaperText.objects.get(alert=alert)
    assert (text.status, text.attempts) == ("queued", 1)
    assert text.next_attempt_at == DAY + dt.timedelta(seconds=30)
    with (
        time_machine.travel(DAY + dt.timedelta(minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        alert_delivery.sweep()
    text.refresh_from_db()
    assert (text.status, text.attempts) == ("sent", 2)
    assert [request.form["to"] for request in elks.requests] == ["+46701740605"] * 2
    assert elks.requests[0].form["whendelivered"].startswith(absolute("/notifications/sms/"))


def test_a_number_the_provider_refuses_fails_at_once_and_the_report_counts_it(
    police, area, send_to_areas, elks
):
    texted_on_paper(area)
    texted_on_paper(area, phone="+46701740606")
    elks.respond_with("invalid_to_number", "success_single")

    alert = send_to_areas(police, area)

    assert sorted(PaperText.objects.filter(alert=alert).values_list("status", flat=True)) == [
        "failed",
        "sent",
    ]
    report = client_for(police).get(reverse("notifications:alert_detail", args=[alert.pk]))
    assert "Texts to households on paper: 1 sent, 1 failed, 0 waiting." in report.content.decode()


def test_a_handset_receipt_records_when_the_text_reached_the_phone(police, area, send_to_areas):
    texted_on_paper(area)
    alert = send_to_areas(police, area)
    [message] = sms_backends.outbox

    response = Client().post(
        urlsplit(message.receipt_url).path,
        {"id": "s1", "status": "delivered", "delivered": "2026-12-04 08:59:58.393000"},
    )

    assert response.status_code == 204
    text = PaperText.objects.get(alert=alert)
    assert text.delivered_at == dt.datetime(2026, 12, 4, 8, 59, 58, 393000, tzinfo=dt.UTC)


def test_a_texted_household_is_not_waiting_for_its_letter(
    police, area, area_contact, send_to_areas
):
    texted = texted_on_paper(area, names="Åsa Ölund")
    on_paper(area, names="Per Papper")

    alert = send_to_areas(police, area, title="Inbrott i natt")

    assert paper_selectors.area_paper(area).letters_to_deliver == 1
    [entry] = paper_selectors.letters(area)
    assert [paper.names for paper in entry.texted] == ["Åsa Ölund"]
    assert [paper.names for paper in entry.to_deliver] == ["Per Papper"]
    client = client_for(area_contact)
    page = client.get(reverse("watch:paper_letters", args=[area.pk])).content.decode()
    assert "Åsa Ölund, " in page
    assert "(texted)" in page
    assert "1 household got this message by SMS: whether it also gets a letter is up to you." in (
        page.replace("\n", " ")
    )
    # The contact may still print the texted household's letter.
    pdf = client.get(reverse("watch:paper_letters_pdf", args=[area.pk, alert.pk]), {"texted": "1"})
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    assert len(pages) == 1
    assert texted.household.street_address in pages[0].extract_text()


def test_the_composers_check_counts_the_texts_and_letters_dispatch_will_make(
    police, area, area_b, send_to_areas
):
    texted_on_paper(area)
    texted_on_paper(area, phone="+46701740606")
    on_paper(area, phone="+46701740601")  # typed in, never confirmed: a letter
    on_paper(area)
    texted_on_paper(area_b)  # not in the alert's target
    draft = alert_for(police, area)

    page = client_for(police).get(reverse("notifications:alert_detail", args=[draft.pk]))

    shown = {str(other.label): other.count for other in page.context["preview"].others}
    assert shown == {
        "Texts to households on paper": 2,
        "Letters from the area contact to households on paper": 2,
    }
    assert 'id="other-recipients"' in page.content.decode()
    sent = send_to_areas(police, area)
    assert PaperText.objects.filter(alert=sent).count() == 2


def test_the_check_of_an_exercise_counts_no_texts_or_letters(police, area):
    texted_on_paper(area)
    draft = alert_for(police, area, is_exercise=True)

    page = client_for(police).get(reverse("notifications:alert_detail", args=[draft.pk]))

    assert page.context["preview"].others == []
    assert 'id="other-recipients"' not in page.content.decode()
