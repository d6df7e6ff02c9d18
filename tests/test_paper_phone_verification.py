"""A household on paper's mobile number is verified by its resident through the area contact:
the contact texts a code from the household's page, the resident reads it out, the contact
enters it. Codes are kept as an HMAC only, expire, and allow five wrong tries; each costs
the contact's daily allowance of codes; a new number is unverified again."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from notifications.sms import backends as sms_backends
from notifications.sms import verification
from tests.conftest import client_for
from tests.factories import on_paper, texted_on_paper
from watch.paper.models import PaperHousehold

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(area) -> PaperHousehold:
    return on_paper(area, phone="+46701740605")


def ask_for_code(client, paper: PaperHousehold) -> str:
    client.post(reverse("watch:paper_phone_code", args=[paper.pk]))
    return re.search(r"\d{6}", sms_backends.outbox[-1].body).group()


def enter(client, paper: PaperHousehold, code: str):
    return client.post(reverse("watch:paper_phone_verify", args=[paper.pk]), {"code": code})


def test_the_code_the_resident_reads_out_verifies_the_number(area_contact, paper):
    client = client_for(area_contact)

    code = ask_for_code(client, paper)
    paper.refresh_from_db()
    assert paper.phone_verified_at is None
    response = enter(client, paper, code)

    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.phone_verified_at is not None
    assert paper.verification_code_hash == ""
    [message] = sms_backends.outbox
    assert message.to == "+46701740605"
    page = client.get(reverse("watch:paper_household", args=[paper.pk])).content.decode()
    assert "the area&#x27;s messages are texted to it" in page


def test_the_code_is_kept_only_as_a_keyed_hash(area_contact, paper):
    code = ask_for_code(client_for(area_contact), paper)

    paper.refresh_from_db()
    assert len(paper.verification_code_hash) == 64
    assert code not in paper.verification_code_hash
    assert paper.verification_code_hash != verification._hash(f"paper{paper.pk}:", code)


def test_the_code_is_texted_in_the_services_language(area_contact, paper, settings):
    settings.LANGUAGE_CODE = "sv"

    ask_for_code(client_for(area_contact), paper)

    body = sms_backends.outbox[0].body
    # Who asks and what for: a resident is told never to read a code to a stranger.
    assert body.startswith(f"{area_contact.full_name}, ditt kontaktombud i grannsamverkan i ")
    assert "Ge den inte till någon annan." in body


def test_wrong_codes_are_counted_and_five_end_the_code(area_contact, paper):
    client = client_for(area_contact)
    code = ask_for_code(client, paper)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    first = enter(client, paper, wrong)
    for _ in range(verification.MAX_ATTEMPTS - 1):
        enter(client, paper, wrong)
    late = enter(client, paper, code)

    assert "That code is not right." in first.content.decode()
    assert "Too many wrong codes. Ask for a new one." in late.content.decode()
    paper.refresh_from_db()
    assert paper.verification_attempts == verification.MAX_ATTEMPTS
    assert paper.phone_verified_at is None


def test_a_code_expires_after_fifteen_minutes(area_contact, paper):
    client = client_for(area_contact)
    code = ask_for_code(client, paper)

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        response = enter(client, paper, code)

    assert "The code has expired. Ask for a new one." in response.content.decode()
    paper.refresh_from_db()
    assert paper.phone_verified_at is None


def test_a_code_for_the_last_number_does_not_verify_a_new_one(area_contact, paper):
    client = client_for(area_contact)
    code = ask_for_code(client, paper)

    client.post(reverse("watch:paper_phone", args=[paper.pk]), {"phone": "070-174 06 06"})
    response = enter(client, paper, code)

    assert "Ask for a code first." in response.content.decode()
    paper.refresh_from_db()
    assert (paper.phone, paper.phone_verified_at) == ("+46701740606", None)


def test_changing_a_verified_number_unverifies_it(area, area_contact):
    paper = texted_on_paper(area, texts_stopped_at=timezone.now())

    response = client_for(area_contact).post(
        reverse("watch:paper_phone", args=[paper.pk]), {"phone": "070-174 06 06"}
    )

    assert response.status_code == 302
    paper.refresh_from_db()
    assert (paper.phone, paper.phone_verified_at, paper.texts_stopped_at) == (
        "+46701740606",
        None,
        None,
    )


def test_removing_the_number_sends_no_code(area_contact, paper):
    client = client_for(area_contact)
    client.post(reverse("watch:paper_phone", args=[paper.pk]), {"phone": ""})

    response = client.post(reverse("watch:paper_phone_code", args=[paper.pk]), follow=True)

    assert "Add the household&#x27;s mobile number first." in response.content.decode()
    assert sms_backends.outbox == []


def test_a_second_code_waits_a_minute(area_contact, paper):
    client = client_for(area_contact)
    ask_for_code(client, paper)

    response = client.post(reverse("watch:paper_phone_code", args=[paper.pk]), follow=True)

    assert "Wait a minute before asking again." in response.content.decode()
    assert len(sms_backends.outbox) == 1


def test_codes_count_against_the_contacts_daily_allowance_of_texted_codes(
    area, area_contact, settings
):
    settings.RATE_LIMITS = {"phone_code": "2/d"}
    client = client_for(area_contact)
    households = [on_paper(area, phone=f"+4670174060{n}") for n in range(3)]

    answers = [
        client.post(reverse("watch:paper_phone_code", args=[paper.pk])).status_code
        for paper in households
    ]

    assert answers == [302, 302, 429]
    assert len(sms_backends.outbox) == 2


def test_a_contact_of_another_area_cannot_verify_the_number(other_area_contact, paper):
    response = enter(client_for(other_area_contact), paper, "123456")

    assert response.status_code == 404
    paper.refresh_from_db()
    assert paper.verification_attempts == 0


def test_the_code_field_is_shown_once_a_code_is_on_its_way_and_a_wrong_code_is_listed_first(
    area_contact, paper
):
    client = client_for(area_contact)
    page = reverse("watch:paper_household", args=[paper.pk])

    assert 'id="confirm-number"' not in client.get(page).content.decode()
    ask_for_code(client, paper)
    waiting = client.get(page).content.decode()
    assert 'id="confirm-number"' in waiting
    assert "It is valid for 15 minutes." in waiting

    wrong = enter(client, paper, "000000").content.decode()
    assert wrong.index("error-summary") < wrong.index('id="confirm-number"')
