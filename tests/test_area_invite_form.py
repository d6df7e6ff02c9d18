"""The area page's invitation form is made once per process and language: every visit
still gets the form in the visitor's language, sending to the area shown, and a refused
address comes back as a message above an empty form."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def invitation_form(html: str) -> str:
    return re.search(r'<form method="post" action="[^"]*/invite/".*?</form>', html, re.S)[0]


@pytest.mark.parametrize(
    ("language", "label", "other_label"),
    [("sv", "E-postadress", "E-mail address"), ("en", "E-mail address", "E-postadress")],
)
def test_the_form_is_in_the_visitors_language_whichever_came_first(
    area, area_contact, language, label, other_label
):
    page = reverse("watch:manage_area", args=[area.pk])
    for first in ("sv", "en", language):
        area_contact.language = first
        area_contact.save()
        client_for(area_contact).get(page)

    form = invitation_form(client_for(area_contact).get(page).content.decode())

    assert f'action="{reverse("watch:area_invite", args=[area.pk])}"' in form
    assert f'<label for="id_email">{label}:</label>' in form
    assert other_label not in form
    assert '<input type="email" name="email" maxlength="254" required id="id_email">' in form
    assert 'name="csrfmiddlewaretoken"' in form


def test_a_refused_address_comes_back_as_a_message_above_an_empty_form(area, area_contact):
    area_contact.language = "en"
    area_contact.save()
    client = client_for(area_contact)

    response = client.post(
        reverse("watch:area_invite", args=[area.pk]), {"email": "not-an-address"}, follow=True
    )

    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert "not-an-address" not in html
    assert 'value="' not in invitation_form(html).split("</label>")[1].split("<button")[0]


def test_the_page_is_given_an_empty_form_for_the_cache_to_keep(area, area_contact):
    """What the cache keeps is shown to every visitor: an address typed, its errors or an
    initial value in it would be shown to all."""
    response = client_for(area_contact).get(reverse("watch:manage_area", args=[area.pk]))

    form = response.context["invite_form"]
    assert not form.is_bound
    assert not form.initial
    assert not any(field.initial for field in form.fields.values())
