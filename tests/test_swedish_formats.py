"""Numbers, dates and times in Swedish form when the language is Swedish.

Counts are grouped with a (non-breaking) space, "1 234", through ``intcomma``: the
project does not switch on USE_THOUSAND_SEPARATOR, because that would also group ids
written into links (``?refers_to={{ alert.pk }}``) and break them past 999.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.alerts.models import Channel, Delivery
from notifications.outbox.models import DeliveryStatus
from tests.conftest import client_for
from tests.factories import alert_for

pytestmark = pytest.mark.django_db

RECIPIENTS = 1234


@pytest.fixture
def big_alert(police, area):
    created = dt.datetime(2026, 11, 3, 18, 5, tzinfo=dt.UTC)
    alert = alert_for(police, area, status="sent", created_at=created, sent_at=created)
    users = User.objects.bulk_create(
        User(email=f"granne{n}@example.org", full_name=f"Granne {n}") for n in range(RECIPIENTS)
    )
    Delivery.objects.bulk_create(
        Delivery(
            alert=alert, user=user, area=area, channel=Channel.INAPP, status=DeliveryStatus.SENT
        )
        for user in users
    )
    return alert


def page_in(language: str, user: User, url: str) -> str:
    user.language = language
    user.save(update_fields=["language"])
    return client_for(user).get(url).content.decode()


def test_counts_are_grouped_the_swedish_way(police, big_alert):
    swedish = page_in("sv", police, reverse("notifications:alert_detail", args=[big_alert.pk]))
    english = page_in("en", police, reverse("notifications:alert_detail", args=[big_alert.pk]))

    assert "1\xa0234" in swedish
    assert "1,234" in english
    # Ids in links stay plain digits whatever the language.
    assert f"?refers_to={big_alert.pk}" in swedish


def test_dates_and_times_are_swedish(police, big_alert):
    with timezone.override("Europe/Stockholm"):
        swedish = page_in("sv", police, reverse("notifications:alert_list"))

    assert "2026-11-03 19:05" in swedish  # ISO date, 24-hour clock, Swedish time (UTC+1)
    assert "p.m." not in swedish
    assert "Nov." not in swedish
