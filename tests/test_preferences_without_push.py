"""A deployment without push (no VAPID keys) shows no column of push boxes nor a push
urgency on the preferences page (they did nothing, ticked, beside "push notifications are
not available"), and a save there keeps what a member chose for push before."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.alerts.models import Kind
from notifications.preferences.models import MemberSettings, Preference
from notifications.preferences.services import member_settings
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

FORM = {
    "quiet_hours_start": "22:00",
    "quiet_hours_end": "07:00",
    "alert_language": "sv",
    "email_floor": "info",
    "sms_floor": "info",
    "inapp_floor": "info",
    f"{Kind.TIP}__email": "on",
}


@pytest.fixture
def no_push(settings):
    settings.VAPID = {"PUBLIC_KEY": "", "PRIVATE_KEY": "", "SUBJECT": ""}


def test_no_push_column_or_urgency_is_shown(member, no_push):
    page = client_for(member).get(reverse("notifications:preferences")).content.decode()

    assert 'role="columnheader">Push<' not in page
    assert f'name="{Kind.TIP}__push"' not in page
    assert 'name="push_floor"' not in page
    assert 'role="columnheader">E-mail<' in page


def test_a_save_keeps_the_push_choices_made_before(member, no_push):
    settings_ = member_settings(member)
    settings_.push_floor = "urgent"
    settings_.save()
    Preference.objects.update_or_create(user=member, kind=Kind.TIP, defaults={"push": True})
    # A forged box and urgency are not read: the fields are not the member's to change.
    forged = {**FORM, f"{Kind.TIP}__push": "", "push_floor": "info"}

    response = client_for(member).post(reverse("notifications:preferences"), forged)

    assert response.status_code == 302
    assert Preference.objects.get(user=member, kind=Kind.TIP).push
    assert MemberSettings.objects.get(user=member).push_floor == "urgent"
    assert Preference.objects.get(user=member, kind=Kind.TIP).email
