"""An alert that went out is withdrawn by a follow-up that cancels it.

The follow-up goes to members like any alert (its text says why); the public
page of the earlier alert says it no longer holds, and the CAP feed publishes
the follow-up as a ``Cancel`` that references it.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema
from django.urls import reverse

from notifications.alerts.models import Alert
from notifications.public import cap
from tests.conftest import client_for, compose
from tests.factories import sent_public_alert

pytestmark = pytest.mark.django_db

SCHEMA = xmlschema.XMLSchema(Path(__file__).parent / "data" / "CAP-v1.2.xsd")
NS = {"cap": cap.NAMESPACE}


def cap_document(client, alert: Alert) -> ElementTree.Element:  # type: ignore[no-untyped-def]
    response = client.get(reverse("notifications:alert_cap", args=[alert.pk]))
    SCHEMA.validate(response.content)
    return ElementTree.fromstring(response.content)  # noqa: S314 - the project's own output


def test_a_cancellation_is_a_cap_cancel_referencing_the_original(client, police, area):
    original = sent_public_alert(police, area, title="Inbrott på Storgatan")
    cancellation = sent_public_alert(
        police, area, refers_to=original, cancels_original=True, title="Återkallad"
    )

    root = cap_document(client, cancellation)

    assert root.findtext("cap:msgType", namespaces=NS) == "Cancel"
    reference = root.findtext("cap:references", namespaces=NS)
    assert reference.split(",")[1] == cap.identifier(original)
    # The original itself stays what it was.
    assert cap_document(client, original).findtext("cap:msgType", namespaces=NS) == "Alert"


def test_the_public_page_of_a_cancelled_alert_says_so(client, police, area):
    original = sent_public_alert(police, area, title="Inbrott på Storgatan")
    cancellation = sent_public_alert(
        police, area, refers_to=original, cancels_original=True, title="Felaktig varning"
    )

    page = client.get(reverse("notifications:public_alert", args=[original.pk])).content.decode()
    follow_up = client.get(reverse("notifications:public_alert", args=[cancellation.pk]))

    assert "This alert has been cancelled." in page
    assert reverse("notifications:public_alert", args=[cancellation.pk]) in page
    assert "Cancels:" in follow_up.content.decode()


def test_a_correction_does_not_cancel(client, police, area):
    original = sent_public_alert(police, area)
    correction = sent_public_alert(police, area, refers_to=original)

    page = client.get(reverse("notifications:public_alert", args=[original.pk])).content.decode()

    assert cap_document(client, correction).findtext("cap:msgType", namespaces=NS) == "Update"
    assert "This alert has been cancelled." not in page


def test_a_members_only_cancellation_withdraws_the_public_alert_without_naming_itself(
    client, police, area
):
    original = sent_public_alert(police, area, title="Falska vattenavläsare")
    cancellation = sent_public_alert(
        police,
        area,
        refers_to=original,
        cancels_original=True,
        is_public=False,
        title="Bara till medlemmarna",
    )

    page = client.get(reverse("notifications:public_alert", args=[original.pk])).content.decode()
    feed = client.get(reverse("notifications:area_feed", args=[area.pk])).content.decode()
    municipality = client.get(
        reverse("watch:municipality", args=[area.municipality.slug])
    ).content.decode()

    # The public no longer reads it as current, and learns nothing of the members' message.
    assert "This alert has been cancelled." in page
    assert "Bara till medlemmarna" not in page
    assert reverse("notifications:public_alert", args=[cancellation.pk]) not in page
    assert "Falska vattenavläsare" not in feed
    assert "Falska vattenavläsare" not in municipality


def test_a_cancellation_still_being_written_withdraws_nothing(client, police, area):
    original = sent_public_alert(police, area, title="Falska vattenavläsare")
    sent_public_alert(
        police, area, refers_to=original, cancels_original=True, status="draft", dispatched_at=None
    )

    page = client.get(reverse("notifications:public_alert", args=[original.pk])).content.decode()
    feed = client.get(reverse("notifications:area_feed", args=[area.pk])).content.decode()

    assert "This alert has been cancelled." not in page
    assert "Falska vattenavläsare" in feed


def test_cancelling_needs_the_earlier_alert(police, area):
    response = compose(client_for(police), target_areas=[area.pk], cancels_original="on")

    assert response.status_code == 200
    assert "Choose the earlier alert this one cancels." in response.content.decode()
    # The When step wrote nothing: the draft of What and Who cancels nothing.
    assert list(Alert.objects.values_list("cancels_original", "refers_to")) == [(False, None)]


def test_a_cancellation_is_composed_as_a_follow_up(police, area):
    original = sent_public_alert(police, area)

    response = compose(
        client_for(police),
        target_areas=[area.pk],
        is_public="on",
        refers_to=original.pk,
        cancels_original="on",
    )

    assert response.status_code == 302
    draft = Alert.objects.exclude(pk=original.pk).get()
    assert (draft.refers_to, draft.cancels_original) == (original, True)


def test_the_officials_page_of_an_alert_names_its_withdrawal_and_updates(police, area):
    original = sent_public_alert(police, area, title="Falska vattenavläsare")
    update = sent_public_alert(police, area, refers_to=original, title="Nu även i Hova")
    withdrawal = sent_public_alert(
        police, area, refers_to=original, cancels_original=True, title="Det var ett missförstånd"
    )
    sent_public_alert(police, area, refers_to=original, title="Ett utkast", status="draft")

    page = client_for(police).get(reverse("notifications:alert_detail", args=[original.pk]))

    html = page.content.decode()
    withdrawn_at = html.index("Withdrawn by:")
    assert html.index(reverse("notifications:alert_detail", args=[withdrawal.pk])) > withdrawn_at
    assert "Updated by:" in html
    assert reverse("notifications:alert_detail", args=[update.pk]) in html
    assert "Ett utkast" not in html
