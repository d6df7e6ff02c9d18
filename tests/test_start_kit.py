"""The start kit: an invitation to the start meeting with a QR code to the area's page
(or, for households waiting for an area, to the interest page), and the contacts' own
household list, paper households and households that said no included."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import segno
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from notifications.rendering import absolute
from tests.conftest import client_for
from tests.factories import MeetingFactory, member_of, on_paper
from watch.community.models import MeetingKind
from watch.paper.models import SaidNo

pytestmark = pytest.mark.django_db


def pdf_of(response) -> tuple[str, list[Image.Image]]:
    assert response["Content-Type"] == "application/pdf"
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    return " ".join(page.extract_text().split()), [image.image for image in page.images]


def qr_of(link: str) -> Image.Image:
    png = io.BytesIO()
    segno.make(link, error="m").save(png, kind="png", scale=10, border=4)
    return Image.open(io.BytesIO(png.getvalue()))


def same_picture(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and a.convert("L").tobytes() == b.convert("L").tobytes()


def test_the_invitation_has_the_start_meeting_the_contact_and_a_code_to_the_area(
    area_contact, area
):
    starts_at = timezone.now() + timedelta(days=14)
    MeetingFactory(area=area, kind=MeetingKind.START, starts_at=starts_at, location="Folkets hus")
    client = client_for(area_contact)
    form = client.get(reverse("watch:start_kit", args=[area.pk])).content.decode()
    assert 'value="Folkets hus"' in form
    assert 'value="Eva Kontakt"' in form

    response = client.get(
        reverse("watch:start_kit", args=[area.pk]),
        {
            "starts_at": f"{timezone.localtime(starts_at):%Y-%m-%dT%H:%M}",
            "place": "Folkets hus",
            "contact": "Eva Kontakt",
        },
    )

    text, images = pdf_of(response)
    link = absolute(reverse("watch:area_detail", args=[area.pk]))
    assert "Neighbourhood watch in Marieholm" in text
    assert "Where: Folkets hus" in text
    assert f"{timezone.localtime(starts_at):%Y}" in text
    assert "Welcome! Eva Kontakt, area contact" in text
    assert link in text
    assert "call 114 14" in text
    (qr,) = images
    assert same_picture(qr, qr_of(link))


def test_without_a_start_meeting_the_time_and_place_are_asked_for(area_contact, area):
    MeetingFactory(area=area, kind=MeetingKind.NEIGHBOURS, location="Grillplatsen")
    client = client_for(area_contact)

    page = client.get(reverse("watch:start_kit", args=[area.pk])).content.decode()
    refused = client.get(reverse("watch:start_kit", args=[area.pk]), {"contact": "Eva"})

    assert "Grillplatsen" not in page
    assert refused.status_code == 200
    assert refused["Content-Type"].startswith("text/html")
    assert "This field is required." in refused.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("place", "x" * 201, "at most 200 characters"),
        ("place", "Folkets\nhus", "Write this on one line"),
        # Refused before the view, as in every query string (NulCharacterMiddleware).
        ("contact", "Eva\x00", "The request could not be read"),
        ("starts_at", "tomorrow", "Enter a valid date/time."),
    ],
)
def test_bad_invitation_details_are_refused(area_contact, area, field, value, message):
    details = {"starts_at": "2027-03-01T18:00", "place": "Folkets hus", "contact": "Eva"}

    response = client_for(area_contact).get(
        reverse("watch:start_kit", args=[area.pk]), {**details, field: value}
    )

    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


def test_officials_invite_a_neighbourhood_waiting_for_an_area(coordinator, municipality):
    response = client_for(coordinator).get(
        reverse("watch:interest_start_kit"),
        {
            "municipality": municipality.pk,
            "neighbourhood": "Sjöstaden",
            "starts_at": "2027-03-01T18:00",
            "place": "Sjöstadsskolan",
            "contact": "Sara Samordnare",
        },
    )

    text, (qr,) = pdf_of(response)
    link = absolute(reverse("watch:interest"))
    assert "Neighbourhood watch in Sjöstaden" in text
    assert link in text
    assert same_picture(qr, qr_of(link))


def test_an_official_cannot_pick_another_municipality(coordinator, other_municipality):
    response = client_for(coordinator).get(
        reverse("watch:interest_start_kit"),
        {
            "municipality": other_municipality.pk,
            "neighbourhood": "Sjöstaden",
            "starts_at": "2027-03-01T18:00",
            "place": "Skolan",
            "contact": "Sara",
        },
    )

    assert "Select a valid choice." in response.content.decode()


def test_the_contacts_list_has_every_household_and_the_noes_without_details(area_contact, area):
    member = member_of(area, full_name="Nils Nätmedlem", email="nils@example.org")
    on_paper(area, names="Åsa Ölund", phone="+46701740605")
    SaidNo.objects.create(
        area=area, street_address="Nejgatan 1", postal_code="542 30", town="Mariestad"
    )

    response = client_for(area_contact).get(reverse("watch:household_list", args=[area.pk]))

    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    rows = re.findall(r'<th scope="row" role="rowheader">([^<]*)</th>', page)
    assert any(row.startswith(member.household_member.household.street_address) for row in rows)
    assert "Nils Nätmedlem" in page
    assert "nils@example.org" in page
    assert "Åsa Ölund" in page
    assert "+46 70 174 06 05" in page
    assert "On paper" in page
    said_no_row = next(row for row in page.split("<tr") if "Nejgatan 1" in row)
    assert "Said no" in said_no_row
    assert re.findall(r"<td[^>]*></td>", said_no_row) == [
        '<td role="cell" data-label="Name"></td>',
        '<td role="cell" data-label="Phone"></td>',
        '<td role="cell" data-label="E-mail" class="whole-line wrap-anywhere"></td>',
    ]


def test_a_member_never_sees_the_contacts_list(area_member, area):
    on_paper(area, names="Åsa Ölund")

    response = client_for(area_member).get(reverse("watch:household_list", args=[area.pk]))

    assert response.status_code == 404
