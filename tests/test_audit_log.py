"""Coordinators read what officials and area contacts did in their municipalities."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import official
from watch.audit.models import AuditAction, AuditEntry
from watch.audit.services import record
from watch.roles.models import OfficialKind
from watch.roles.services import appoint_contact

pytestmark = pytest.mark.django_db

URL = reverse("watch:audit_log")


@pytest.fixture
def entries(area, area_b, area_c, area_contact, coordinator, other_coordinator, member):
    """An appointment in A, an export in B, one in the other municipality, a deletion."""
    appoint_contact(actor=coordinator, area=area, email=member.email, is_main=False)
    record(actor=area_contact, action=AuditAction.MEMBERS_EXPORTED, area=area_b)
    record(actor=other_coordinator, action=AuditAction.AREA_UPDATED, area=area_c, detail="Bråten")
    record(actor=None, action=AuditAction.ACCOUNT_DELETED)


def rows(user, **params) -> list[str]:
    response = client_for(user).get(URL, params)
    assert response.status_code == 200
    return [entry.get_action_display() for entry in response.context["page"]]


def test_a_coordinator_sees_their_municipalities_only(entries, coordinator):
    assert sorted(rows(coordinator)) == ["Area contact appointed", "Member list exported"]


def test_the_other_coordinator_sees_only_theirs(entries, other_coordinator):
    response = client_for(other_coordinator).get(URL)

    assert [e.action for e in response.context["page"]] == [AuditAction.AREA_UPDATED]
    assert "Maja Medlem" not in response.content.decode()


def test_an_admin_sees_everything(entries, admin_user):
    assert len(rows(admin_user)) == 4


@pytest.mark.parametrize("role", ["police", "area_contact", "area_member", "member"])
def test_everyone_else_gets_a_404(request, role, entries):
    response = client_for(request.getfixturevalue(role)).get(URL)

    assert response.status_code == 404


def test_a_coordinator_without_two_factor_is_sent_to_set_it_up(municipality):
    user = official(OfficialKind.COORDINATOR, municipality, mfa=False)

    response = client_for(user).get(URL)

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_the_link_is_in_the_coordinators_navigation_only(coordinator, police):
    assert URL in client_for(coordinator).get(reverse("watch:home")).content.decode()
    assert URL not in client_for(police).get(reverse("watch:home")).content.decode()


def test_filters_by_action_and_area(entries, coordinator, area, area_b):
    assert rows(coordinator, action=AuditAction.MEMBERS_EXPORTED) == ["Member list exported"]
    assert rows(coordinator, area=area.pk) == ["Area contact appointed"]
    assert rows(coordinator, area=area_b.pk, action=AuditAction.CONTACT_APPOINTED) == []


def test_an_area_of_another_municipality_is_not_a_choice(entries, coordinator, area_c):
    response = client_for(coordinator).get(URL, {"area": area_c.pk})

    assert "Select a valid choice" in response.content.decode()
    assert area_c not in response.context["form"].fields["area"].queryset
    assert area_c.name not in response.content.decode()


def test_filters_by_date(area, coordinator):
    for day in (1, 10, 20):
        with time_machine.travel(dt.datetime(2026, 3, day, 12, tzinfo=dt.UTC), tick=False):
            record(actor=coordinator, action=AuditAction.AREA_UPDATED, area=area, detail=str(day))

    response = client_for(coordinator).get(URL, {"since": "2026-03-05", "until": "2026-03-20"})

    assert [e.detail for e in response.context["page"]] == ["20", "10"]


def test_pages_of_fifty_with_a_constant_number_of_queries(area, coordinator, area_contact):
    client = client_for(coordinator)

    def queries_with(count: int) -> int:
        AuditEntry.objects.all().delete()
        AuditEntry.objects.bulk_create(
            AuditEntry(
                actor=area_contact,
                subject=coordinator,
                action=AuditAction.MEMBERS_EXPORTED,
                area=area,
                municipality=area.municipality,
            )
            for _n in range(count)
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"page": 2})
        assert len(response.context["page"]) == min(50, count - 50)
        return len(queries)

    client.get(URL)  # the first page reads the roles, later ones reuse them
    assert queries_with(60) == queries_with(140)
    last = client.get(URL, {"page": 3})
    assert len(last.context["page"]) == 40
    assert "Page 3 of 3" in last.content.decode()
