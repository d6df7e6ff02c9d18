"""Coordinators edit their municipality's page: texts, contacts and citizen promises."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from watch.audit.models import AuditAction, AuditEntry
from watch.municipality_page.forms import MAX_CONTACTS
from watch.municipality_page.models import (
    CitizenPromise,
    ContactRole,
    MunicipalityContact,
    PromiseItem,
)

pytestmark = pytest.mark.django_db


def formset(prefix: str, rows: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def contact_row(**fields: Any) -> dict[str, Any]:
    return {
        "role": ContactRole.SECURITY_COORDINATOR,
        "name": "Robin Demosson",
        "phone": "0506-362 98",
        "email": "sakerhet@example.com",
        "position": "0",
        **fields,
    }


def edit_url(municipality) -> str:
    return reverse("watch:municipality_edit", args=[municipality.slug])


def audit_entries(municipality):
    return AuditEntry.objects.filter(
        action=AuditAction.MUNICIPALITY_PAGE_UPDATED, municipality=municipality
    )


def test_coordinator_edits_texts_and_adds_contacts(coordinator, municipality):
    data = {
        "how_to_start": "Bjud in grannarna till ett möte.",
        "households_total": "12000",
        **formset(
            "contacts",
            [
                contact_row(),
                contact_row(
                    role=ContactRole.MUNICIPAL_POLICE, name="Kim Exempelsson", position="1"
                ),
            ],
        ),
    }

    response = client_for(coordinator).post(edit_url(municipality), data)

    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.how_to_start == "Bjud in grannarna till ett möte."
    assert municipality.households_total == 12000
    assert list(municipality.contacts.values_list("name", "phone")) == [
        ("Robin Demosson", "0506-362 98"),
        ("Kim Exempelsson", "0506-362 98"),
    ]
    [entry] = audit_entries(municipality)
    assert entry.actor == coordinator
    assert entry.detail == "page: texts, contacts"


def test_edit_change_and_delete_contacts(coordinator, municipality):
    keep = MunicipalityContact.objects.create(
        municipality=municipality, role=ContactRole.SECURITY_COORDINATOR, name="Robin"
    )
    gone = MunicipalityContact.objects.create(
        municipality=municipality, role=ContactRole.MUNICIPAL_POLICE, name="Kim"
    )
    data = {
        "how_to_start": "",
        "households_total": "",
        **formset(
            "contacts",
            [
                contact_row(id=keep.pk, name="Robin D", phone="010-565 73 08"),
                contact_row(id=gone.pk, name="Kim", DELETE="on"),
            ],
            initial=2,
        ),
    }

    client_for(coordinator).post(edit_url(municipality), data)

    keep.refresh_from_db()
    assert keep.name == "Robin D"
    assert keep.phone == "010-565 73 08"
    assert not MunicipalityContact.objects.filter(pk=gone.pk).exists()


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (contact_row(phone="call me <script>"), "Enter a telephone number"),
        (contact_row(email="not-an-address"), "Enter a valid email address"),
        (contact_row(name=""), "This field is required"),
        (contact_row(name="x" * 151), "at most 150 characters"),
    ],
    ids=["phone", "email", "missing-name", "long-name"],
)
def test_bad_contacts_are_refused_with_a_message(coordinator, municipality, row, error):
    data = {"how_to_start": "Ändrad text", "households_total": "", **formset("contacts", [row])}

    response = client_for(coordinator).post(edit_url(municipality), data)

    assert response.status_code == 200
    assert error in response.content.decode()
    municipality.refresh_from_db()
    assert municipality.how_to_start == ""
    assert not municipality.contacts.exists()
    assert not audit_entries(municipality).exists()


@pytest.mark.parametrize("claimed", ["11", "99999999999999999999"])
def test_a_claim_of_more_contacts_than_allowed_builds_no_more_forms(
    coordinator, municipality, claimed
):
    data = {"how_to_start": "Ändrad text", **formset("contacts", [contact_row()])}
    data["contacts-TOTAL_FORMS"] = claimed

    response = client_for(coordinator).post(edit_url(municipality), data)

    assert response.status_code == 200
    assert len(response.context["contacts"].forms) == MAX_CONTACTS
    assert "Please submit at most 10 forms." in response.content.decode()
    assert not municipality.contacts.exists()


def test_the_same_person_twice_in_a_role_is_refused(coordinator, municipality):
    data = {
        "how_to_start": "",
        "households_total": "",
        **formset("contacts", [contact_row(), contact_row(name="robin demosson")]),
    }

    response = client_for(coordinator).post(edit_url(municipality), data)

    assert "already listed in this role" in response.content.decode()
    assert not municipality.contacts.exists()


def test_nothing_changed_writes_nothing(coordinator, municipality):
    data = {"how_to_start": "", "households_total": "", **formset("contacts", [])}

    response = client_for(coordinator).post(edit_url(municipality), data, follow=True)

    assert "Nothing was changed." in response.content.decode()
    assert not audit_entries(municipality).exists()


def test_a_police_officer_may_not_edit(police, municipality):
    data = {"how_to_start": "Polisens text", "households_total": "", **formset("contacts", [])}

    response = client_for(police).post(edit_url(municipality), data)

    assert response.status_code == 403
    municipality.refresh_from_db()
    assert municipality.how_to_start == ""


def test_another_municipalitys_coordinator_gets_404(other_coordinator, municipality):
    data = {"how_to_start": "Fel kommun", "households_total": "", **formset("contacts", [])}

    response = client_for(other_coordinator).post(edit_url(municipality), data)

    assert response.status_code == 404
    municipality.refresh_from_db()
    assert municipality.how_to_start == ""


# --- Citizen promises -----------------------------------------------------------------------


def test_create_a_years_promise(coordinator, municipality):
    year = timezone.localdate().year

    response = client_for(coordinator).post(
        reverse("watch:promise_create", args=[municipality.slug]),
        {"year": str(year), "introduction": "Vårt löfte till dig"},
    )

    promise = CitizenPromise.objects.get(municipality=municipality, year=year)
    assert response.url == reverse("watch:promise_edit", args=[municipality.slug, year])
    assert promise.introduction == "Vårt löfte till dig"
    assert audit_entries(municipality).get().detail == f"citizen promise {year}: created"


@pytest.mark.parametrize(
    ("year", "error"),
    [("1999", "Enter a year from 2000"), ("2020", "already a citizen promise for 2020")],
)
def test_a_bad_or_taken_year_is_refused(coordinator, municipality, year, error):
    CitizenPromise.objects.create(municipality=municipality, year=2020)

    response = client_for(coordinator).post(
        reverse("watch:promise_create", args=[municipality.slug]),
        {"year": year, "introduction": ""},
    )

    assert error in response.content.decode()
    assert CitizenPromise.objects.count() == 1
    assert not audit_entries(municipality).exists()


@pytest.fixture
def promise(municipality) -> CitizenPromise:
    promise = CitizenPromise.objects.create(municipality=municipality, year=2020)
    PromiseItem.objects.create(promise=promise, text="Riktade insatser", position=1)
    PromiseItem.objects.create(promise=promise, text="Informera om tobak", position=2)
    return promise


def item_rows(promise: CitizenPromise, changes: dict[str, dict[str, str]]) -> list[dict]:
    return [
        {
            "id": item.pk,
            "text": item.text,
            "status": item.status,
            "position": str(item.position),
            **changes.get(item.text, {}),
        }
        for item in promise.items.all()
    ]


def test_add_edit_reorder_and_set_status(coordinator, municipality, promise):
    rows = item_rows(
        promise,
        {
            "Riktade insatser": {"position": "3", "status": "done"},
            "Informera om tobak": {"text": "Informera föräldrar om tobak"},
        },
    )
    rows.append({"text": "Besöka mötesplatser", "status": "planned", "position": "1"})
    url = reverse("watch:promise_edit", args=[municipality.slug, 2020])

    response = client_for(coordinator).post(
        url, {"introduction": "Under 2020", **formset("items", rows, initial=2)}
    )

    assert response.status_code == 302
    promise.refresh_from_db()
    assert promise.introduction == "Under 2020"
    assert list(promise.items.values_list("text", "status")) == [
        ("Besöka mötesplatser", "planned"),
        ("Informera föräldrar om tobak", "planned"),
        ("Riktade insatser", "done"),
    ]
    assert audit_entries(municipality).get().detail == "citizen promise 2020: updated"


def test_remove_an_item(coordinator, municipality, promise):
    rows = item_rows(promise, {"Informera om tobak": {"DELETE": "on"}})

    client_for(coordinator).post(
        reverse("watch:promise_edit", args=[municipality.slug, 2020]),
        {"introduction": "", **formset("items", rows, initial=2)},
    )

    assert list(promise.items.values_list("text", flat=True)) == ["Riktade insatser"]


def test_a_bad_status_or_empty_text_is_refused(coordinator, municipality, promise):
    rows = item_rows(
        promise, {"Riktade insatser": {"status": "forgotten"}, "Informera om tobak": {"text": ""}}
    )

    response = client_for(coordinator).post(
        reverse("watch:promise_edit", args=[municipality.slug, 2020]),
        {"introduction": "Ändrad", **formset("items", rows, initial=2)},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in body
    assert "This field is required" in body
    promise.refresh_from_db()
    assert promise.introduction == ""
    assert list(promise.items.values_list("text", "status")) == [
        ("Riktade insatser", "planned"),
        ("Informera om tobak", "planned"),
    ]


def test_an_item_of_another_promise_cannot_be_changed(coordinator, municipality, promise):
    other = CitizenPromise.objects.create(municipality=municipality, year=2021)
    foreign = PromiseItem.objects.create(promise=other, text="Annat år")
    rows = [{"id": foreign.pk, "text": "Kapad", "status": "done", "position": "0"}]

    client_for(coordinator).post(
        reverse("watch:promise_edit", args=[municipality.slug, 2020]),
        {"introduction": "", **formset("items", rows, initial=1)},
    )

    foreign.refresh_from_db()
    assert foreign.text == "Annat år"
    assert foreign.promise == other


def test_an_admin_may_edit(admin_user, municipality, promise):
    response = client_for(admin_user).get(
        reverse("watch:promise_edit", args=[municipality.slug, 2020])
    )

    assert response.status_code == 200
    assert "Riktade insatser" in response.content.decode()


def test_a_new_item_comes_last_unless_ordered(coordinator, municipality, promise):
    url = reverse("watch:promise_edit", args=[municipality.slug, 2020])
    client = client_for(coordinator)
    extra_position = client.get(url).context["items"].forms[-1]["position"].value()
    rows = [*item_rows(promise, {}), {"text": "Nytt löfte", "status": "planned"}]
    rows[-1]["position"] = str(extra_position)

    client.post(url, {"introduction": "", **formset("items", rows, initial=2)})

    assert list(promise.items.values_list("text", flat=True))[-1] == "Nytt löfte"
    assert extra_position > 2
