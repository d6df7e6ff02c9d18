"""A refused form says so at its top, each error a link to its field: on a phone the field
may be thousands of pixels down (the municipality page's new contact was 1,900 px below
the first screen, a paper household's missing pin in a folded section)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from notifications.alerts.models import Delivery
from tests.conftest import client_for
from tests.factories import member_of, sent_public_alert

pytestmark = pytest.mark.django_db


def summary(response) -> str:
    """The error summary, which must come before the form's first field."""
    html = response.content.decode()
    found = re.search(
        r'<div class="banner banner-error error-summary" role="alert">(.*?)</div>', html, re.S
    )
    assert found is not None, "no error summary"
    first_field = re.search(
        r"<(input|textarea|select)(?![^>]*type=\"hidden\")", html[found.end() :]
    )
    assert first_field is not None
    return found[1]


def test_the_municipality_page_names_a_new_contacts_missing_role(coordinator, municipality):
    data = {"how_to_start": "", "households_total": "", "contacts-TOTAL_FORMS": "1"}
    data |= {"contacts-INITIAL_FORMS": "0", "contacts-0-name": "Robin Demosson"}

    response = client_for(coordinator).post(
        reverse("watch:municipality_edit", args=[municipality.slug]), data
    )

    assert response.status_code == 200
    assert '<a href="#id_contacts-0-role">Role: This field is required.</a>' in summary(response)


def test_a_paper_household_without_its_home_on_the_map_is_named_at_the_top(area_contact, area):
    data = {"answer": "joins", "street_address": "Marieholmsgatan 3", "postal_code": "54231"}
    data |= {"town": "Mariestad", "names": "Åsa Ölund", "consent_how": "signed_form"}

    response = client_for(area_contact).post(
        reverse("watch:paper_register", args=[area.pk]), {**data, "consent": "on"}
    )

    assert response.status_code == 200
    # The coordinates open where the summary leads: the pin sets them.
    assert 'href="#id_latitude"' in summary(response)


def test_an_empty_reply_is_named_at_the_top(police, area):
    member = member_of(area)
    alert = sent_public_alert(police, area)
    Delivery.objects.create(alert=alert, user=member, area=area, channel="inapp", status="sent")

    response = client_for(member).post(
        reverse("notifications:alert_answer", args=[alert.pk]), {"text": ""}
    )

    assert response.status_code == 200
    assert 'href="#id_text"' in summary(response)


def test_removing_a_household_without_a_reason_is_named_at_the_top(area_contact, area):
    member = member_of(area)
    membership = area.memberships.get(household__members__user=member)

    response = client_for(area_contact).post(
        reverse("watch:remove", args=[membership.pk]), {"reason": ""}
    )

    assert response.status_code == 200
    assert 'href="#id_reason"' in summary(response)
