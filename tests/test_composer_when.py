"""The composer's third step, When: now or at a time, how long it holds, public or for
members, an exercise or not, and whether it updates or cancels an earlier alert."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.alerts.models import Alert
from tests.conftest import client_for
from tests.factories import alert_for, sent_public_alert

pytestmark = pytest.mark.django_db


def when(alert: Alert) -> str:
    return reverse("notifications:alert_when", args=[alert.pk])


def local(moment) -> str:  # type: ignore[no-untyped-def]
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def test_now_and_for_members_only_goes_on_to_check(police, area):
    draft = alert_for(police, area, is_public=True)

    response = client_for(police).post(when(draft), {"send": "now"})

    assert response.url == reverse("notifications:alert_detail", args=[draft.pk])
    draft.refresh_from_db()
    assert (draft.publish_at, draft.expires_at, draft.is_public, draft.is_exercise) == (
        None,
        None,
        False,
        False,
    )


def test_at_a_time_with_an_expiry_public_and_an_exercise(police, area):
    draft = alert_for(police, area)
    publish_at = timezone.now() + timedelta(days=2)
    expires_at = publish_at + timedelta(days=1)

    client_for(police).post(
        when(draft),
        {
            "send": "later",
            "publish_at": local(publish_at),
            "expires_at": local(expires_at),
            "is_public": "on",
            "is_exercise": "on",
        },
    )

    draft.refresh_from_db()
    assert local(draft.publish_at) == local(publish_at)
    assert local(draft.expires_at) == local(expires_at)
    assert (draft.is_public, draft.is_exercise) == (True, True)


def test_now_forgets_a_time_typed_before(police, area):
    draft = alert_for(police, area, publish_at=timezone.now() + timedelta(days=1))

    client_for(police).post(
        when(draft), {"send": "now", "publish_at": local(timezone.now() + timedelta(days=3))}
    )

    draft.refresh_from_db()
    assert draft.publish_at is None


def test_a_saved_time_is_shown_in_the_fields_format(police, area):
    publish_at = timezone.now() + timedelta(days=1)
    draft = alert_for(police, area, publish_at=publish_at)

    page = client_for(police).get(when(draft)).content.decode()

    assert f'value="{local(publish_at)}"' in page
    assert 'name="send" value="later" required id="id_send_1" checked' in page


def test_an_update_or_a_cancellation_of_an_earlier_alert(police, area):
    earlier = sent_public_alert(police, area, title="Inbrottsvåg")
    draft = alert_for(police, area)
    client = client_for(police)

    page = client.get(when(draft)).content.decode()
    client.post(when(draft), {"send": "now", "refers_to": earlier.pk, "cancels_original": "on"})

    # Offered under a disclosure, named with its date; a draft refers to nothing yet.
    assert '<details class="advanced">' in page
    assert f"Inbrottsvåg ({timezone.localtime(earlier.created_at):%Y-%m-%d})" in page
    draft.refresh_from_db()
    assert (draft.refers_to, draft.cancels_original) == (earlier, True)
    again = client.get(when(draft)).content.decode()
    assert "Follow-up of an earlier alert" in again  # no longer hidden away


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"send": "later"}, "Choose when to send it."),
        ({"send": "later", "publish_at": "2001-01-01T10:00"}, "Choose a time in the future."),
        ({"send": "now", "expires_at": "2001-01-01T10:00"}, "must be valid after it is sent"),
        ({"send": "now", "cancels_original": "on"}, "Choose the earlier alert this one cancels."),
        ({}, "This field is required."),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(police, area, fields, message):
    draft = alert_for(police, area, is_public=True)

    response = client_for(police).post(when(draft), {"is_exercise": "on", **fields})

    assert response.status_code == 200
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert (draft.publish_at, draft.expires_at, draft.is_public, draft.is_exercise) == (
        None,
        None,
        True,
        False,
    )


def test_back_leads_to_who(police, area):
    draft = alert_for(police, area)

    page = client_for(police).get(when(draft)).content.decode()

    back = page.split('class="back-link" href="')[1].split('"')[0]
    assert back == reverse("notifications:alert_who", args=[draft.pk])
