"""Texts to households on paper are kept as long as deliveries (DELIVERY_RETENTION_DAYS),
go with a household that is purged, and stay when a resident claims the household: the
row holds no name or number, and the alert's report keeps counting what was sent. A
text still waiting when the household is claimed is not sent: the new member gets the
area's messages their own way."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from notifications.alerts import delivery as alert_delivery
from notifications.sms import backends as sms_backends
from tests.conftest import client_for
from tests.factories import alert_for, sent_public_alert, texted_on_paper
from watch.households.models import Membership, MembershipStatus
from watch.paper import services as paper_services
from watch.paper.models import PaperText

pytestmark = pytest.mark.django_db


def test_texts_go_after_the_delivery_period(area, police, settings):
    paper = texted_on_paper(area)
    text = PaperText.objects.create(
        alert=alert_for(police, area), household=paper.household, status="sent"
    )
    days = settings.DELIVERY_RETENTION_DAYS

    with time_machine.travel(timezone.now() + timedelta(days=days - 1)):
        account_services.purge_expired_records()
    assert PaperText.objects.filter(pk=text.pk).exists()

    with time_machine.travel(timezone.now() + timedelta(days=days + 1)):
        counts = account_services.purge_expired_records()
    assert counts["paper_texts"] == 1
    assert not PaperText.objects.exists()


def test_a_removed_households_texts_go_with_it(area, police):
    paper = texted_on_paper(area)
    PaperText.objects.create(alert=alert_for(police, area), household=paper.household)
    Membership.objects.filter(household=paper.household).update(status=MembershipStatus.REMOVED)

    account_services.purge_expired_records()

    assert not PaperText.objects.exists()


def test_claiming_keeps_the_sent_texts_and_sends_no_waiting_one(
    area, police, member, area_contact, django_capture_on_commit_callbacks
):
    paper = texted_on_paper(area)
    sent_alert = sent_public_alert(police, area, is_public=False)
    waiting_alert = alert_for(police, area)
    sent = PaperText.objects.create(alert=sent_alert, household=paper.household, status="sent")
    waiting = PaperText.objects.create(
        alert=waiting_alert,
        household=paper.household,
        next_attempt_at=timezone.now() - timedelta(minutes=1),
    )
    code = paper_services.new_claim_code(actor=area_contact, paper=paper, area=area).code

    household = paper_services.claim_household(user=member, code=code)
    with django_capture_on_commit_callbacks(execute=True):
        alert_delivery.sweep()

    sent.refresh_from_db()
    waiting.refresh_from_db()
    assert (sent.household_id, sent.status) == (household.pk, "sent")
    assert waiting.status == "skipped"
    assert sms_backends.outbox == []
    report = client_for(police).get(reverse("notifications:alert_detail", args=[sent_alert.pk]))
    assert "Texts to households on paper: 1 sent, 0 failed, 0 waiting." in report.content.decode()


def test_a_contacts_export_holds_no_number_of_a_household(area, area_contact):
    texted_on_paper(area, consent_by=area_contact)

    response = client_for(area_contact).get(reverse("accounts:data_export"))

    data = json.loads(response.content)
    assert [row["consent_how"] for row in data["paper_households_registered"]] == ["signed_form"]
    assert "+46701740605" not in response.content.decode()
