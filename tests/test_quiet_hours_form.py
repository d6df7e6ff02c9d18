"""Quiet hours that start and end at the same time hold back nothing: the form says so
and saves nothing, where it had said "saved"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.preferences.models import MemberSettings
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

CHOICES = {"email_floor": "info", "sms_floor": "info", "inapp_floor": "info", "push_floor": "info"}


def post(member, **quiet: str):
    data = {**CHOICES, "alert_language": "sv", **quiet}
    return client_for(member).post(reverse("notifications:preferences"), data)


def test_quiet_hours_that_end_when_they_start_are_refused(member):
    response = post(
        member, quiet_hours_enabled="on", quiet_hours_start="22:00", quiet_hours_end="22:00"
    )

    assert response.status_code == 200
    assert response.context["form"].errors["quiet_hours_end"] == [
        "Quiet hours must end at another time than they start."
    ]
    assert not MemberSettings.objects.filter(user=member, quiet_hours_end="22:00").exists()


@pytest.mark.parametrize(
    "quiet",
    [
        {"quiet_hours_enabled": "on", "quiet_hours_start": "22:00", "quiet_hours_end": "07:00"},
        # Switched off, the times do not matter.
        {"quiet_hours_start": "22:00", "quiet_hours_end": "22:00"},
    ],
    ids=["overnight", "off"],
)
def test_other_quiet_hours_are_saved(member, quiet):
    response = post(member, **quiet)

    assert response.status_code == 302
    saved = MemberSettings.objects.get(user=member)
    assert saved.quiet_hours_enabled is ("quiet_hours_enabled" in quiet)
