"""A resident claims a household registered on paper with the code its contact printed:
single-use, expiring, rate-limited, stored only as a hash."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from notifications.alerts.models import Alert, AlertStatus
from tests.conftest import client_for
from tests.factories import UserFactory, alert_for, member_of, on_paper
from watch.households.models import HouseholdMember
from watch.paper.models import PaperHousehold

pytestmark = pytest.mark.django_db


def print_code(contact, paper) -> str:
    response = client_for(contact).post(reverse("watch:paper_claim_code", args=[paper.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    (code,) = re.findall(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", response.content.decode())
    return code


def claim(user, code: str):
    return client_for(user).post(reverse("watch:claim"), {"code": code})


def test_a_resident_claims_the_household_with_the_printed_code(area_contact, area, member):
    paper = on_paper(area)
    code = print_code(area_contact, paper)

    response = claim(member, code.lower().replace("-", " "))

    assert response["Location"] == reverse("watch:household")
    assert HouseholdMember.objects.get(user=member).household == paper.household
    # The paper record, its names and its code go: the member speaks for the household now.
    assert not PaperHousehold.objects.exists()


def test_only_the_codes_hash_is_stored(area_contact, area):
    paper = on_paper(area)

    code = print_code(area_contact, paper)

    paper.refresh_from_db()
    assert code.replace("-", "") not in str(PaperHousehold.objects.values().get())
    assert len(paper.claim_code_hash) == 64
    assert paper.claim_code_expires_at > timezone.now() + timedelta(days=89)


def test_the_code_works_once(area_contact, area, member):
    paper = on_paper(area)
    code = print_code(area_contact, paper)
    claim(member, code)
    someone_else = UserFactory()

    response = claim(someone_else, code)

    assert response.status_code == 200
    assert "it may have been used already" in response.content.decode()
    assert not HouseholdMember.objects.filter(user=someone_else).exists()


def test_a_new_code_replaces_the_old_one(area_contact, area, member):
    paper = on_paper(area)
    old = print_code(area_contact, paper)
    new = print_code(area_contact, paper)

    assert claim(member, old).status_code == 200
    assert claim(member, new).status_code == 302


def test_the_code_expires_after_ninety_days(area_contact, area, member):
    paper = on_paper(area)
    code = print_code(area_contact, paper)

    with time_machine.travel(timezone.now() + timedelta(days=91)):
        response = claim(member, code)

    assert "it may have been used already or have expired" in response.content.decode()
    assert not HouseholdMember.objects.filter(user=member).exists()


def test_someone_with_a_household_cannot_claim_another(area_contact, area, area_member):
    paper = on_paper(area)
    code = print_code(area_contact, paper)

    response = claim(area_member, code)

    assert "You already belong to a household." in response.content.decode()
    assert PaperHousehold.objects.filter(pk=paper.pk).exists()


def test_claims_are_rate_limited(area, member, settings):
    settings.RATE_LIMITS = {"claim": "3/h"}
    paper = on_paper(area)

    answers = [claim(member, "ABCD-EFGH-JKMN").status_code for _attempt in range(4)]

    assert answers == [200, 200, 200, 429]
    assert PaperHousehold.objects.filter(pk=paper.pk).exists()


def test_the_claimant_gets_what_the_area_was_told(police, area, area_contact, member):
    paper = on_paper(area)
    alert = alert_for(police, area, title="Inbrott i veckan")
    alert.areas.add(area)
    Alert.objects.filter(pk=alert.pk).update(
        status=AlertStatus.SENT, sent_at=timezone.now(), dispatched_at=timezone.now()
    )

    claim(member, print_code(area_contact, paper))

    inbox = client_for(member).get(reverse("notifications:inbox")).content.decode()
    assert "Inbrott i veckan" in inbox


def test_no_one_else_prints_a_code(other_area_contact, area):
    paper = on_paper(area)

    response = client_for(other_area_contact).post(
        reverse("watch:paper_claim_code", args=[paper.pk])
    )

    assert response.status_code == 404
    paper.refresh_from_db()
    assert paper.claim_code_hash == ""


def test_a_contact_cannot_reach_a_member_household_as_paper(area_contact, area):
    member = member_of(area)
    household_id = member.household_member.household_id

    response = client_for(area_contact).get(reverse("watch:paper_household", args=[household_id]))

    assert response.status_code == 404


def test_the_household_form_offers_the_claim(member):
    page = client_for(member).get(reverse("watch:household_edit")).content.decode()

    assert reverse("watch:claim") in page
