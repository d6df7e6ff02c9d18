"""A draft its author no longer wants is deleted from its review page; nobody else's, and
nothing that went out (opening an update and leaving it had left a draft for good)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.alerts.models import Alert
from tests.conftest import client_for
from tests.factories import alert_for, sent_public_alert

pytestmark = pytest.mark.django_db


def test_the_author_deletes_a_draft_from_its_review_page(police, area):
    draft = alert_for(police, area)
    client = client_for(police)

    page = client.get(reverse("notifications:alert_detail", args=[draft.pk])).content.decode()
    response = client.post(reverse("notifications:alert_discard", args=[draft.pk]), follow=True)

    assert reverse("notifications:alert_discard", args=[draft.pk]) in page
    assert response.redirect_chain[-1][0] == reverse("notifications:alert_list")
    assert "The draft has been deleted." in response.content.decode()
    assert not Alert.objects.filter(pk=draft.pk).exists()


def test_a_colleagues_draft_or_a_sent_alert_is_not_deleted(police, coordinator, area):
    draft = alert_for(coordinator, area)
    sent = sent_public_alert(police, area)
    client = client_for(police)

    refused = [
        client.post(reverse("notifications:alert_discard", args=[alert.pk])).status_code
        for alert in (draft, sent)
    ]

    assert all(status in {403, 404} for status in refused)
    assert set(Alert.objects.values_list("pk", flat=True)) == {draft.pk, sent.pk}


def test_a_scheduled_alert_offers_no_update_of_what_nobody_has_yet(police, area):
    scheduled = sent_public_alert(police, area, status="scheduled", dispatched_at=None)
    sent = sent_public_alert(police, area)
    client = client_for(police)

    pages = [
        client.get(reverse("notifications:alert_detail", args=[alert.pk])).content.decode()
        for alert in (scheduled, sent)
    ]

    assert "Send an update or correction" not in pages[0]
    assert "Send an update or correction" in pages[1]
