"""An area contact registers a household on paper, with its consent, or records that it
said no (its address only). A paper household is an approved member with no login."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import centre, on_paper
from watch.households.models import Household, HouseholdMember, Membership, MembershipStatus
from watch.paper.models import PaperHousehold, SaidNo

pytestmark = pytest.mark.django_db


def body(area, **changes: str) -> dict[str, str]:
    longitude, latitude = centre(area)
    return {
        "answer": "joins",
        "street_address": "Marieholmsgatan 3",
        "postal_code": "54231",
        "town": "Mariestad",
        "longitude": str(longitude),
        "latitude": str(latitude),
        "names": "Åsa och Per Ölund",
        "phone": "070-174 06 05",
        "consent_how": "signed_form",
        "consent": "on",
        **changes,
    }


def register(user, area, **changes: str):
    return client_for(user).post(
        reverse("watch:paper_register", args=[area.pk]), body(area, **changes)
    )


def test_a_contact_registers_a_household_on_paper(area_contact, area):
    response = register(area_contact, area)

    paper = PaperHousehold.objects.get()
    assert response["Location"] == reverse("watch:paper_household", args=[paper.pk])
    assert paper.names == "Åsa och Per Ölund"
    assert paper.phone == "+46701740605"
    assert (paper.consent_by, paper.consent_how) == (area_contact, "signed_form")
    household = paper.household
    assert (household.street_address, household.postal_code) == ("Marieholmsgatan 3", "542 31")
    membership = Membership.objects.get(household=household)
    assert (membership.area, membership.status, membership.decided_by) == (
        area,
        MembershipStatus.APPROVED,
        area_contact,
    )
    assert not HouseholdMember.objects.filter(household=household).exists()
    page = client_for(area_contact).get(response["Location"]).content.decode()
    assert "Åsa och Per Ölund" in page
    assert "+46 70 174 06 05" in page
    assert "On a signed paper form, recorded by Eva Kontakt" in page


def test_the_phone_is_optional(area_contact, area):
    register(area_contact, area, phone="", consent_how="phone")

    assert PaperHousehold.objects.get().phone == ""


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"names": ""}, "Write the residents&#x27; names."),
        ({"consent_how": ""}, "Say how the household agreed."),
        ({"consent": ""}, "Record the household&#x27;s consent first."),
        ({"consent_how": "email"}, "Select a valid choice."),
        ({"phone": "08-123 456 78"}, "cannot be sent to a landline"),
        ({"postal_code": "5423"}, "five digits"),
        ({"longitude": "14.5", "latitude": "59.5"}, "This address is outside the area."),
        # The contact places someone else's home: not "your home".
        (
            {"longitude": "", "latitude": ""},
            "Place the pin on the household&#x27;s home on the map, or type its coordinates.",
        ),
    ],
)
def test_bad_registrations_are_refused_and_write_nothing(area_contact, area, changes, message):
    response = register(area_contact, area, **changes)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Household.objects.filter(paper__isnull=False).exists()
    assert not SaidNo.objects.exists()


def test_the_form_opens_on_the_area_and_speaks_of_the_households_home(area_contact, area):
    page = client_for(area_contact).get(reverse("watch:paper_register", args=[area.pk]))

    html = page.content.decode()
    assert 'data-outlines="paper-area-outline"' in html
    assert '<script id="paper-area-outline" type="application/json">' in html
    assert "Place the pin on the household&#x27;s home on the map" in html
    assert "your home" not in html


def test_the_same_address_is_not_registered_twice(area_contact, area):
    register(area_contact, area)

    response = register(area_contact, area, street_address="MARIEHOLMSGATAN 3")

    assert "A household at this address is already a member." in response.content.decode()
    assert PaperHousehold.objects.count() == 1


def test_a_household_that_said_no_keeps_only_its_address(area_contact, area):
    response = register(area_contact, area, answer="said_no")

    assert response["Location"] == reverse("watch:manage_area", args=[area.pk])
    said_no = SaidNo.objects.get()
    assert (said_no.area, said_no.street_address, said_no.recorded_by) == (
        area,
        "Marieholmsgatan 3",
        area_contact,
    )
    # Nothing else was kept: no household, no names, no phone.
    assert not PaperHousehold.objects.exists()
    assert not Household.objects.filter(street_address="Marieholmsgatan 3").exists()
    assert not any("Ölund" in str(value) for value in SaidNo.objects.values().get().values())


def test_another_areas_contact_cannot_register_here(other_area_contact, area):
    response = register(other_area_contact, area)

    assert response.status_code == 404
    assert not PaperHousehold.objects.exists()


def test_a_paper_household_is_on_the_area_page_and_gets_no_e_mail_address(area_contact, area):
    paper = on_paper(area, names="Zoë Nowak")

    page = client_for(area_contact).get(reverse("watch:manage_area", args=[area.pk]))

    assert "Zoë Nowak" in page.content.decode()
    assert reverse("watch:paper_household", args=[paper.pk]) in page.content.decode()


def test_the_households_table_names_a_paper_household_and_marks_it(area_contact, area):
    """In the table of households, not as a household without anyone in it."""
    paper = on_paper(area, names="Zoë Nowak")

    page = client_for(area_contact).get(reverse("watch:manage_area", args=[area.pk]))

    table = page.content.decode().split('aria-labelledby="households-heading"')[1]
    rows = table.split("</table>")[0].split("</tr>")
    [row] = [row for row in rows if "Zoë Nowak" in row]
    assert reverse("watch:paper_household", args=[paper.pk]) in row
    assert "On paper" in row


def test_the_area_page_asks_for_paper_households_only_when_it_has_some(area_contact, area):
    """Most areas have none: the page learns it from its rows of households."""
    client = client_for(area_contact)
    url = reverse("watch:manage_area", args=[area.pk])

    def paper_queries() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in queries if 'FROM "watch_paperhousehold"' in q["sql"]]

    assert paper_queries() == []
    on_paper(area, names="Zoë Nowak")
    assert paper_queries() != []
