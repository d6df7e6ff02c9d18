"""Paper households in the personal-data rules: a contact's export lists what they
recorded without the households' names; the nightly purge removes paper households that
are no longer members, letters after the deliveries' period, and "no" after two years."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from tests.conftest import client_for
from tests.factories import alert_for, on_paper
from watch.households.models import Household, Membership, MembershipStatus
from watch.paper.models import Letter, PaperHousehold, SaidNo

pytestmark = pytest.mark.django_db


def test_a_contacts_export_lists_what_they_recorded_without_names(area_contact, area):
    on_paper(area, names="Åsa Ölund", consent_by=area_contact)
    SaidNo.objects.create(
        area=area,
        street_address="Nejgatan 1",
        postal_code="542 30",
        town="Mariestad",
        recorded_by=area_contact,
    )

    response = client_for(area_contact).get(reverse("accounts:data_export"))

    data = json.loads(response.content)
    assert [row["consent_how"] for row in data["paper_households_registered"]] == ["signed_form"]
    assert [row["area__name"] for row in data["said_no_recorded"]] == ["Marieholm"]
    assert "Åsa Ölund" not in response.content.decode()
    assert "Nejgatan" not in response.content.decode()


def test_a_removed_paper_household_is_purged_with_its_names(area, area_contact, police):
    removed, staying = on_paper(area), on_paper(area)
    alert = alert_for(police, area)
    Letter.objects.create(alert=alert, household=removed.household)
    Membership.objects.filter(household=removed.household).update(status=MembershipStatus.REMOVED)

    counts = account_services.purge_expired_records()

    assert counts["paper_households"] >= 1
    assert list(PaperHousehold.objects.all()) == [staying]
    assert not Household.objects.filter(pk=removed.household_id).exists()
    assert not Letter.objects.exists()


def test_letters_go_after_the_delivery_period_and_no_after_two_years(area, police, settings):
    paper = on_paper(area)
    letter = Letter.objects.create(alert=alert_for(police, area), household=paper.household)
    said_no = SaidNo.objects.create(
        area=area, street_address="Nejgatan 1", postal_code="542 30", town="Mariestad"
    )

    with time_machine.travel(timezone.now() + timedelta(days=settings.DELIVERY_RETENTION_DAYS - 1)):
        account_services.purge_expired_records()
    assert Letter.objects.filter(pk=letter.pk).exists()

    with time_machine.travel(timezone.now() + timedelta(days=settings.DELIVERY_RETENTION_DAYS + 1)):
        counts = account_services.purge_expired_records()
    assert counts["letters"] == 1
    assert SaidNo.objects.filter(pk=said_no.pk).exists()

    with time_machine.travel(timezone.now() + timedelta(days=731)):
        assert account_services.purge_expired_records()["said_no"] == 1
    assert PaperHousehold.objects.filter(pk=paper.pk).exists()  # still a member
