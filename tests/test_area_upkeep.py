"""Areas that stay alive: the yearly confirmation by a contact, the reminders to the
contacts and then to the coordinators, the flag on the coordinator's start page and in
the statistics, and closing or reviving an area (audited)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from watch.areas import upkeep
from watch.areas.models import AreaStatus, WatchArea
from watch.audit.models import AuditAction, AuditEntry
from watch.statistics import figures

pytestmark = pytest.mark.django_db


def age(area: WatchArea, days: int) -> None:
    """As if the area had been drawn (and never confirmed) ``days`` ago."""
    WatchArea.objects.filter(pk=area.pk).update(created_at=timezone.now() - timedelta(days=days))
    area.refresh_from_db()


def test_a_contact_is_asked_on_the_areas_page_and_confirms_with_one_click(area_contact, area):
    age(area, 350)
    client = client_for(area_contact)

    page = client.get(reverse("watch:manage_area", args=[area.pk])).content.decode()
    response = client.post(reverse("watch:area_confirm", args=[area.pk]))

    assert "Is the area still active?" in page
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.confirmed_at is not None
    assert AuditEntry.objects.filter(action=AuditAction.AREA_CONFIRMED, area=area).exists()
    page = client.get(reverse("watch:manage_area", args=[area.pk])).content.decode()
    assert "Is the area still active?" not in page
    assert "Confirmed active" in page


def test_a_new_area_is_not_asked(area_contact, area):
    page = client_for(area_contact).get(reverse("watch:manage_area", args=[area.pk]))

    assert "Is the area still active?" not in page.content.decode()


def test_contacts_are_reminded_after_a_year_and_again_a_month_later(
    area_contact, area, django_capture_on_commit_callbacks
):
    age(area, 366)

    with django_capture_on_commit_callbacks(execute=True):
        assert upkeep.send_reminders() == (1, 0)
        assert upkeep.send_reminders() == (0, 0)  # the next day: once a month
    [reminder] = mail.outbox
    assert reminder.to == [area_contact.email]
    assert "Marieholm" in reminder.subject
    assert reverse("watch:manage_area", args=[area.pk]) in reminder.body

    later = timezone.now() + timedelta(days=31)
    with django_capture_on_commit_callbacks(execute=True):
        assert upkeep.send_reminders(later)[0] == 1
    assert len(mail.outbox) == 2


def test_coordinators_are_told_once_after_thirteen_months(
    area_contact, area, coordinator, other_coordinator, django_capture_on_commit_callbacks
):
    age(area, 400)

    with django_capture_on_commit_callbacks(execute=True):
        upkeep.send_reminders()
        upkeep.send_reminders(timezone.now() + timedelta(days=31))

    told = [message for message in mail.outbox if message.to == [coordinator.email]]
    assert len(told) == 1
    assert "- Marieholm" in told[0].body
    assert not [message for message in mail.outbox if message.to == [other_coordinator.email]]


def test_a_confirmation_starts_the_year_again(
    area_contact, area, django_capture_on_commit_callbacks
):
    age(area, 400)
    client_for(area_contact).post(reverse("watch:area_confirm", args=[area.pk]))

    with django_capture_on_commit_callbacks(execute=True):
        assert upkeep.send_reminders() == (0, 0)
    assert mail.outbox == []


def test_the_coordinators_start_page_flags_the_area_and_they_keep_it_or_close_it(
    coordinator, area, area_b
):
    age(area, 400)
    age(area_b, 400)
    client = client_for(coordinator)

    page = client.get(reverse("watch:home")).content.decode()
    assert "Not confirmed for over a year" in page
    assert "Keep Marieholm active" in page

    client.post(reverse("watch:area_revive", args=[area.pk]))
    client.post(reverse("watch:area_close", args=[area_b.pk]))

    area.refresh_from_db()
    area_b.refresh_from_db()
    assert (area.status, area.confirmed_at is not None) == (AreaStatus.ACTIVE, True)
    assert area_b.status == AreaStatus.CLOSED
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {AuditAction.AREA_REVIVED, AuditAction.AREA_CLOSED} <= actions
    assert "Not confirmed for over a year" not in client.get(reverse("watch:home")).content.decode()


def test_a_closed_area_can_be_revived(coordinator, area):
    WatchArea.objects.filter(pk=area.pk).update(status=AreaStatus.CLOSED)

    client_for(coordinator).post(reverse("watch:area_revive", args=[area.pk]))

    area.refresh_from_db()
    assert area.status == AreaStatus.ACTIVE


def test_a_contact_may_confirm_but_not_close(area_contact, area):
    response = client_for(area_contact).post(reverse("watch:area_close", args=[area.pk]))

    assert response.status_code == 403
    area.refresh_from_db()
    assert area.status == AreaStatus.ACTIVE
    assert not AuditEntry.objects.exists()


def test_the_statistics_count_areas_without_a_contact_or_a_confirmation(
    area, area_b, area_contact, municipality
):
    age(area_b, 400)

    rows = dict(figures.areas(municipality, []).rows)

    assert rows["Active, without a contact"] == 1
    assert rows["Active, not confirmed for 13 months"] == 1
