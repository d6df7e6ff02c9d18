"""The admin's inline rows are checked against their models' constraints before anything
is saved (``config.admin.ConstraintsCheckedInlineFormSet``): Django 5.2 leaves out every
constraint that names the parent, so a second main contact of an area, or a row sent as
new with a person already there, was an IntegrityError (a 500)."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from config.admin_inlines import ConstraintsCheckedInlineFormSet
from notifications.alerts.models import AlertVersion
from tests.admin_forms import change_form
from tests.factories import UserFactory, alert_for, member_of, square
from watch.roles.models import AreaContact

pytestmark = pytest.mark.django_db


def add_row(data: dict[str, str | list[str]], prefix: str, **fields: object) -> None:
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{name}": str(value) for name, value in fields.items()})


NEW_CONTACT = {"is_main": "on", "appointed_at_0": "2026-12-05", "appointed_at_1": "10:00:00"}


def test_a_second_main_contact_is_refused_with_the_rule(
    admin_client, area, area_contact, nothing_written
):
    url = reverse("admin:watch_watcharea_change", args=[area.pk])
    data = change_form(admin_client, url)
    add_row(data, "contacts", user=member_of(area).pk, **NEW_CONTACT)

    with nothing_written():
        response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "An area has one main contact" in response.content.decode()


def test_a_row_sent_as_new_with_a_contact_already_there_is_refused(
    admin_client, area, area_contact, nothing_written
):
    """The count of rows already there (``INITIAL_FORMS``) lowered by hand: the row of the
    area's contact comes as a new one."""
    url = reverse("admin:watch_watcharea_change", args=[area.pk])
    data = change_form(admin_client, url)
    assert data["contacts-INITIAL_FORMS"] == "1"
    data["contacts-INITIAL_FORMS"] = "0"

    with nothing_written():
        response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Area contact with this Area and User already exists." in response.content.decode()


def test_a_version_sent_as_new_in_a_language_already_there_is_refused(
    admin_client, police, area, nothing_written
):
    alert = alert_for(police, area)
    AlertVersion.objects.create(alert=alert, language="en", title="Burglary", body="Lock up.")
    url = reverse("admin:notifications_alert_change", args=[alert.pk])
    data = change_form(admin_client, url)
    data["versions-INITIAL_FORMS"] = "0"

    with nothing_written():
        response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "with this Alert and Language already exists." in response.content.decode()


def test_two_new_main_contacts_in_one_save_are_refused(admin_client, area, nothing_written):
    url = reverse("admin:watch_watcharea_change", args=[area.pk])
    data = change_form(admin_client, url)
    add_row(data, "contacts", user=member_of(area).pk, **NEW_CONTACT)
    add_row(data, "contacts", user=member_of(area).pk, **NEW_CONTACT)

    with nothing_written():
        response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "An area has one main contact" in response.content.decode()


@pytest.mark.parametrize("old_main", ["deleted", "unticked"])
def test_the_main_contact_is_handed_over_in_one_save(admin_client, area, area_contact, old_main):
    """Django deletes and changes the rows already there before it adds the new ones, so
    the old main contact may go, or stop being main, in the save that adds the new one."""
    url = reverse("admin:watch_watcharea_change", args=[area.pk])
    data = change_form(admin_client, url)
    if old_main == "deleted":
        data["contacts-0-DELETE"] = "on"
    else:
        del data["contacts-0-is_main"]
    neighbour = member_of(area)
    add_row(data, "contacts", user=neighbour.pk, **NEW_CONTACT)

    assert admin_client.post(url, data).status_code == 302

    assert AreaContact.objects.get(area=area, is_main=True).user == neighbour
    assert AreaContact.objects.filter(area=area).count() == (1 if old_main == "deleted" else 2)


def test_a_change_that_breaks_nothing_is_saved(admin_client, area, area_contact):
    url = reverse("admin:watch_watcharea_change", args=[area.pk])
    data = change_form(admin_client, url)
    add_row(data, "contacts", user=member_of(area).pk, appointed_at_0="2026-12-05")
    data[f"contacts-{int(data['contacts-TOTAL_FORMS']) - 1}-appointed_at_1"] = "10:00:00"

    assert admin_client.post(url, data).status_code == 302
    assert AreaContact.objects.filter(area=area).count() == 2


def test_every_inline_checks_its_rows_constraints():
    # django-celery-beat's one inline shows a schedule's tasks, read-only.
    inlines = [
        inline
        for model in apps.get_models()
        if admin.site.is_registered(model)
        for inline in admin.site.get_model_admin(model).inlines
        if not inline.__module__.startswith("django_celery_beat.")
    ]

    assert inlines
    assert all(issubclass(inline.formset, ConstraintsCheckedInlineFormSet) for inline in inlines)


def test_a_new_area_with_two_main_contacts_is_refused(admin_client, municipality, nothing_written):
    """On the add page the area has no id yet: its rows are the same area all the same."""
    url = reverse("admin:watch_watcharea_add")
    data = change_form(admin_client, url)
    data |= {
        "municipality": str(municipality.pk),
        "name": "Nyområdet",
        "status": "active",
        "boundary": json.dumps(square(13.9, 58.7)),
    }
    for _ in range(2):
        add_row(data, "contacts", user=UserFactory().pk, **NEW_CONTACT)

    with nothing_written():
        response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "An area has one main contact" in response.content.decode()
