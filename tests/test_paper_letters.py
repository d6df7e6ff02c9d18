"""Letters to households on paper: every alert to their area is a letter the area's
contacts print (A5, large type, with who sent it and the 112 / 114 14 notice) with
address labels, deliver and mark delivered. Nothing electronic goes to such a household.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from notifications.alerts.models import Alert, Delivery
from tests.conftest import client_for
from tests.factories import member_of, on_paper
from watch.paper.models import Letter

pytestmark = pytest.mark.django_db

NOTICE = "In an emergency, call 112. For non-urgent police matters, call 114 14."


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def letters_page(client, area) -> str:
    return client.get(reverse("watch:paper_letters", args=[area.pk])).content.decode()


def test_a_paper_household_gets_a_letter_and_no_e_mail(police, area, area_contact, send_to_areas):
    paper = on_paper(area, names="Åsa Ölund")
    neighbour = member_of(area, email="granne@example.org")

    alert = send_to_areas(
        police, area, title="Inbrott på Storgatan", body="Lås dörrar och fönster."
    )

    # The member with an account is reached electronically; the paper household is not.
    assert Delivery.objects.filter(alert=alert, user=neighbour).exists()
    assert not Delivery.objects.exclude(user__household_member__isnull=False).exists()
    assert [m.to for m in mail.outbox if m.subject.endswith(alert.title)]
    assert all(paper.household.street_address not in m.body for m in mail.outbox)
    # The contact's print list has the letter.
    client = client_for(area_contact)
    page = letters_page(client, area)
    assert "Inbrott på Storgatan" in page
    assert "Åsa Ölund" in page
    response = client.get(reverse("watch:paper_letters_pdf", args=[area.pk, alert.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (420, 595)  # A5 in points
    text = " ".join(pdf_text(response.content).split())
    assert "Inbrott på Storgatan" in text
    assert "Lås dörrar och fönster." in text
    assert "Åsa Ölund" in text
    assert paper.household.street_address in text
    assert "From the police in Mariestad" in text
    assert NOTICE in text


def test_the_letters_are_set_in_large_type(police, area, area_contact, send_to_areas):
    on_paper(area)
    alert = send_to_areas(police, area)

    response = client_for(area_contact).get(
        reverse("watch:paper_letters_pdf", args=[area.pk, alert.pk])
    )

    sizes: set[float] = set()
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    page.extract_text(
        visitor_text=lambda text, cm, tm, font, size: (
            sizes.add(round(size * tm[0], 1)) if text.strip() else None
        )
    )
    assert sizes
    assert min(sizes) >= 14


def test_one_letter_per_household_and_labels_for_them(police, area, area_contact, send_to_areas):
    households = [on_paper(area, names=name) for name in ("Zoë Nowak", "Łukasz Ørsted", "Åke")]
    alert = send_to_areas(police, area)
    client = client_for(area_contact)

    letters = client.get(reverse("watch:paper_letters_pdf", args=[area.pk, alert.pk]))
    labels = client.get(reverse("watch:paper_labels_pdf", args=[area.pk, alert.pk]))

    assert len(PdfReader(io.BytesIO(letters.content)).pages) == 3
    label_text = pdf_text(labels.content)
    for paper in households:
        assert paper.names in label_text
        assert paper.household.street_address in label_text
    page = PdfReader(io.BytesIO(labels.content)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_marking_delivered_writes_a_row_per_household_and_empties_the_list(
    police, area, area_contact, send_to_areas
):
    first, second = on_paper(area, names="Första"), on_paper(area, names="Andra")
    alert = send_to_areas(police, area)
    client = client_for(area_contact)
    url = reverse("watch:paper_letters_delivered", args=[area.pk, alert.pk])

    client.post(url, {"households": [first.household_id]})

    (letter,) = Letter.objects.all()
    assert (letter.alert, letter.household, letter.delivered_by) == (
        alert,
        first.household,
        area_contact,
    )
    text = pdf_text(
        client.get(reverse("watch:paper_letters_pdf", args=[area.pk, alert.pk])).content
    )
    assert "Andra" in text
    assert "Första" not in text

    client.post(url, {"households": [second.household_id, first.household_id]})

    assert Letter.objects.count() == 2  # the first is not recorded twice
    assert "All delivered." in letters_page(client, area)
    assert (
        client.get(reverse("watch:paper_letters_pdf", args=[area.pk, alert.pk])).status_code == 200
    )


def test_a_household_of_another_area_cannot_be_marked(
    police, area, area_b, area_contact, send_to_areas
):
    on_paper(area)
    elsewhere = on_paper(area_b)
    alert = send_to_areas(police, area, area_b)

    client_for(area_contact).post(
        reverse("watch:paper_letters_delivered", args=[area.pk, alert.pk]),
        {"households": [elsewhere.household_id]},
    )

    assert not Letter.objects.exists()


def test_no_letters_for_alerts_before_the_household_joined_tests_or_expired_alerts(
    police, area, area_contact, send_to_areas
):
    paper = on_paper(area)
    before = send_to_areas(police, area, title="Före")
    paper.consent_at = timezone.now()
    paper.save()
    exercise = send_to_areas(police, area, title="Övning", is_exercise=True)
    expired = send_to_areas(police, area, title="Gammal")
    Alert.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    current = send_to_areas(police, area, title="Aktuell")

    page = letters_page(client_for(area_contact), area)

    assert "Aktuell" in page
    for alert in (before, exercise, expired):
        assert alert.title not in page
        response = client_for(area_contact).get(
            reverse("watch:paper_letters_pdf", args=[area.pk, alert.pk])
        )
        assert response.status_code == 404
    assert current.pk


def test_an_alert_to_other_areas_is_no_letter_here(
    police, area, area_b, area_contact, send_to_areas
):
    on_paper(area)
    alert = send_to_areas(police, area_b, title="Bara Ekudden")

    response = client_for(area_contact).get(
        reverse("watch:paper_letters_pdf", args=[area.pk, alert.pk])
    )

    assert response.status_code == 404
    assert "Bara Ekudden" not in letters_page(client_for(area_contact), area)


def test_the_contacts_start_page_and_area_page_count_the_letters(
    police, area, area_contact, send_to_areas
):
    on_paper(area)
    on_paper(area)
    send_to_areas(police, area)
    client = client_for(area_contact)

    start = client.get(reverse("watch:home")).content.decode()
    manage = client.get(reverse("watch:manage_area", args=[area.pk])).content.decode()

    assert "2 letters to households on paper" in start
    assert reverse("watch:paper_letters", args=[area.pk]) in start
    assert "2 letters to deliver." in manage
    # Among the page's first actions too, not only in its paper section at the foot.
    actions = manage.split('<p class="actions">')[1].split("</p>")[0]
    letters = reverse("watch:paper_letters", args=[area.pk])
    assert f'<a class="button secondary" href="{letters}">2 letters to deliver</a>' in actions
    assert reverse("watch:paper_register", args=[area.pk]) in actions


def test_letters_are_in_the_services_language_whatever_the_contacts(
    police, area, area_contact, send_to_areas, settings
):
    settings.LANGUAGE_CODE = "sv"
    area_contact.language = "en"
    area_contact.save(update_fields=["language"])
    on_paper(area)
    alert = send_to_areas(police, area)

    response = client_for(area_contact).get(
        reverse("watch:paper_letters_pdf", args=[area.pk, alert.pk])
    )

    text = " ".join(pdf_text(response.content).split())
    assert "Vid nödsituation, ring 112." in text
    assert NOTICE not in text


def test_a_long_name_is_cut_to_its_label(police, area, area_contact, send_to_areas):
    on_paper(area, names="Maria-Kristina " * 19 + "Slutnamn")
    alert = send_to_areas(police, area)

    labels = client_for(area_contact).get(
        reverse("watch:paper_labels_pdf", args=[area.pk, alert.pk])
    )

    text = pdf_text(labels.content)
    assert "Maria-Kristina" in text
    assert "…" in text
    assert "Slutnamn" not in text
