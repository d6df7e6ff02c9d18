import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import member_of
from tests.spreadsheets import read_csv
from watch.audit.models import AuditEntry
from watch.households.models import HouseholdMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def sharing(area):
    user = member_of(area, full_name="Siv Delar", email="siv@example.org", phone="+46701740610")
    HouseholdMember.objects.filter(user=user).update(share_contact_details=True)
    return user


@pytest.fixture
def private(area):
    return member_of(area, full_name="Pia Privat", email="pia@example.org", phone="+46701740611")


def test_csv_shows_contact_details_only_of_members_who_share_them(
    area_contact, area, sharing, private
):
    response = client_for(area_contact).get(reverse("watch:members_csv", args=[area.pk]))

    rows = {row[3]: row for row in read_csv(response)[1:]}
    assert rows["Siv Delar"][4] == "siv@example.org"
    assert rows["Siv Delar"][5] == "'+46 70 174 06 10"
    assert rows["Pia Privat"][4] == ""
    assert rows["Pia Privat"][5] == ""
    assert rows["Pia Privat"][0] == ""
    assert "pia@example.org" not in response.content.decode()
    assert AuditEntry.objects.filter(action="members_exported", actor=area_contact).exists()


def test_csv_neutralises_spreadsheet_formulas(area_contact, area):
    member_of(area, full_name='=HYPERLINK("http://evil.example","click")')

    response = client_for(area_contact).get(reverse("watch:members_csv", args=[area.pk]))

    names = [row[3] for row in read_csv(response)[1:]]
    assert '\'=HYPERLINK("http://evil.example","click")' in names


def test_printable_list_escapes_names_and_hides_private_details(
    area_contact, area, private, sharing
):
    member_of(area, full_name="<script>alert(1)</script>")

    page = client_for(area_contact).get(reverse("watch:members_print", args=[area.pk]))

    content = page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert(1)" not in content
    assert "siv@example.org" in content
    assert "pia@example.org" not in content


def test_contact_of_another_area_cannot_export(other_area_contact, area, sharing):
    response = client_for(other_area_contact).get(reverse("watch:members_csv", args=[area.pk]))

    assert response.status_code == 404
    assert not AuditEntry.objects.exists()


def test_dashboard_shows_all_members_details_to_the_contact(area_contact, area, private):
    page = client_for(area_contact).get(reverse("watch:manage_area", args=[area.pk]))

    assert "pia@example.org" in page.content.decode()
