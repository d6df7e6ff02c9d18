"""Households are listed in the order a person walks a street: Storgatan 3 before
Storgatan 11, Å, Ä and Ö after Z, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import csv
import importlib
import io

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models.functions import Upper
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import HouseholdFactory, UserFactory, on_paper, resident
from watch.households import services
from watch.households.fields import address_order
from watch.households.models import Household, Membership, MembershipStatus
from watch.households.selectors import area_households, area_members
from watch.paper.models import SaidNo
from watch.paper.selectors import household_list

backfill = importlib.import_module("watch.migrations.0012_write_address_order")

WALKING_ORDER = [
    "Kyrkogatan 2",
    "Kyrkogatan 3",
    "Kyrkogatan 3 B",
    "Kyrkogatan 11",
    "Kyrkogatans väg 1",
    "Zetas väg 4",
    "Åvägen 1",
    "Ängsvägen 12",
    "Östra vägen 1",
]


def test_the_key_puts_numbers_in_order_and_the_swedish_letters_last():
    shuffled = sorted(WALKING_ORDER)  # as text: "Kyrkogatan 11" before "Kyrkogatan 2"

    assert shuffled != WALKING_ORDER
    assert sorted(shuffled, key=address_order) == WALKING_ORDER


def test_the_key_is_plain_ascii_letters_and_digits_whatever_the_address():
    for street in ["Allégatan 9", "STORGATAN 3", "Kungsgatan 1 lgh 1102", "Hjärtat ♥ 7\t"]:
        key = address_order(street)
        assert key.isascii()
        assert key.isalnum()
        assert key == key.lower()
    assert address_order("Allégatan 9") == address_order("allegatan 9")
    assert address_order("Storgatan 3B") == address_order("Storgatan 3 b")
    assert len(address_order("1 " * 100)) == 255  # the column's width


@pytest.mark.django_db
def test_the_key_is_written_by_save_bulk_create_and_a_move(area_member):
    household = HouseholdFactory(street_address="Storgatan 11")
    [bulk] = Household.objects.bulk_create([HouseholdFactory.build(street_address="Östra vägen 2")])

    assert Household.objects.get(pk=household.pk).address_order == "storgatan0000000011"
    assert Household.objects.get(pk=bulk.pk).address_order == "zzcstravzzbgen0000000002"

    moved = services.register_household(
        user=area_member,
        address=services.Address("Åvägen 3", "542 30", "Mariestad", 13.8, 58.7),
    )
    assert Household.objects.get(pk=moved.pk).address_order == address_order("Åvägen 3")


@pytest.mark.django_db
def test_every_write_of_some_fields_writes_the_key_too():
    household = HouseholdFactory(street_address="Storgatan 11")
    household.street_address = "Storgatan 3"
    household.save(update_fields=["street_address"])
    assert Household.objects.get(pk=household.pk).address_order == address_order("Storgatan 3")

    household.street_address = "Åvägen 5"
    Household.objects.bulk_update([household], ["street_address"])
    assert Household.objects.get(pk=household.pk).address_order == address_order("Åvägen 5")

    Household.objects.filter(pk=household.pk).update(street_address="Östra vägen 7")
    assert Household.objects.get(pk=household.pk).address_order == address_order("Östra vägen 7")

    with pytest.raises(TypeError):  # its text is the database's: save() the rows instead
        Household.objects.update(street_address=Upper("street_address"))


def test_an_address_typed_with_a_combining_ring_or_other_digits_sorts_as_it_reads():
    assert address_order("A\u030avägen 1") == address_order("Åvägen 1")  # "Å" as two
    assert address_order("Storgatan \u0663") == "storgatan"  # Arabic-Indic 3: not a number here


@pytest.mark.django_db
def test_the_migration_writes_the_key_of_rows_already_there_chunk_by_chunk(area, monkeypatch):
    for number in (11, 3, 7):
        HouseholdFactory(street_address=f"Storgatan {number}")
    SaidNo.objects.create(area=area, street_address="Storgatan 3", postal_code="54230", town="M")
    Household.objects.update(address_order="")
    SaidNo.objects.update(address_order="")
    monkeypatch.setattr(backfill, "CHUNK", 2)
    state = MigrationExecutor(connection).loader.project_state(
        ("watch", "0012_write_address_order")
    )

    backfill.write_address_order(state.apps, None)

    assert sorted(Household.objects.values_list("address_order", flat=True)) == [
        "storgatan0000000003",
        "storgatan0000000007",
        "storgatan0000000011",
    ]
    assert list(SaidNo.objects.values_list("address_order", flat=True)) == ["storgatan0000000003"]


@pytest.fixture
def street(area):
    """The area's households, registered in an order that is neither of the two."""
    for address in [WALKING_ORDER[i] for i in (3, 8, 0, 5, 2, 7, 1, 6, 4)]:
        household = HouseholdFactory.inside(area, street_address=address)
        member = resident(UserFactory(full_name=f"Boende på {address}"), household)
        member.share_contact_details = True  # or the member list leaves the address out
        member.save()
        Membership.objects.create(household=household, area=area, status=MembershipStatus.APPROVED)
    return area


@pytest.mark.django_db
def test_the_area_page_lists_its_households_in_walking_order(street, area_contact):
    page = client_for(area_contact).get(reverse("watch:manage_area", args=[street.pk]))

    html = page.content.decode()
    positions = [html.index(f">{address}<br>") for address in WALKING_ORDER]
    assert positions == sorted(positions)
    shown = [h.street_address for h in area_households(street)]
    assert [a for a in shown if a in WALKING_ORDER] == WALKING_ORDER


@pytest.mark.django_db
def test_the_member_list_and_its_csv_are_in_walking_order(street, area_contact):
    members = [m.household.street_address for m in area_members(street)]
    response = client_for(area_contact).get(reverse("watch:members_csv", args=[street.pk]))

    assert [a for a in members if a in WALKING_ORDER] == WALKING_ORDER
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    in_csv = [cell for row in rows for cell in row if cell in WALKING_ORDER]
    assert in_csv == WALKING_ORDER


@pytest.mark.django_db
def test_the_household_list_puts_paper_and_said_no_in_the_same_order(street):
    paper = on_paper(street, names="Pappersfamiljen").household
    paper.street_address = "Kyrkogatan 10"
    paper.save()
    SaidNo.objects.create(area=street, street_address="Kyrkogatan 4", postal_code="54230", town="M")

    listed = [row.street_address for row in household_list(street)]

    assert listed.index("Kyrkogatan 3 B") < listed.index("Kyrkogatan 4")
    assert listed.index("Kyrkogatan 4") < listed.index("Kyrkogatan 10")
    assert listed.index("Kyrkogatan 10") < listed.index("Kyrkogatan 11")
