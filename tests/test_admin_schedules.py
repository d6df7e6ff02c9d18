"""django-celery-beat's schedules in the admin (the yearly tips keep theirs there): what
its own forms let through to a 500 is refused with a message, and nothing is written."""

from __future__ import annotations

import pytest
from django.urls import reverse, reverse_lazy
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from tests.admin_forms import change_form
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

CRONTAB = {
    "minute": "0",
    "hour": "9",
    "day_of_month": "1",
    "month_of_year": "3",
    "day_of_week": "*",
    "timezone": "Europe/Stockholm",
}


TASK_ADD = reverse_lazy("admin:django_celery_beat_periodictask_add")


def task_form(client, **fields: str) -> dict:  # type: ignore[no-untyped-def]
    """The add form of a periodic task at 09:00 every day, with ``fields``."""
    crontab = CrontabSchedule.objects.create(minute="0", hour="9")
    return {
        **change_form(client, str(TASK_ADD)),
        "name": "Årlig tips",
        "args": "[]",
        "kwargs": "{}",
        "crontab": str(crontab.pk),
        **fields,
    }


@pytest.fixture
def admin_client(admin_user):
    return client_for(admin_user)


def test_a_crontab_celery_cannot_read_is_refused_and_shown_again(admin_client, nothing_written):
    url = reverse("admin:django_celery_beat_crontabschedule_add")
    data = {**change_form(admin_client, url), **CRONTAB, "minute": "-1"}

    with nothing_written():
        response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("minute")


@pytest.mark.parametrize(
    ("field", "name"),
    [("task", "a\x00b"), ("regtask", "a\x00b"), ("regtask", "a" * 201)],
)
def test_a_task_name_no_column_can_hold_is_refused(admin_client, field, name, nothing_written):
    data = task_form(admin_client, **{field: name})

    with nothing_written():
        response = admin_client.post(TASK_ADD, data)

    assert response.status_code == 200
    assert not response.context["adminform"].form.is_valid()


def test_a_task_from_the_list_is_saved(admin_client):
    data = task_form(admin_client, regtask="accounts.tasks.purge_expired_records")

    assert admin_client.post(TASK_ADD, data).status_code == 302
    assert PeriodicTask.objects.get(name="Årlig tips").task == data["regtask"]
