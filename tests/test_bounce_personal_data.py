"""A member's bounce count is personal data: it is in their export, goes with their account,
and a count that never suspended anything is purged after DELIVERY_RETENTION_DAYS."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from notifications.notices.models import BouncingAddress
from notifications.notices.services import address_hash
from notifications.personal_data import purge
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_count_and_the_suspension(member):
    now = timezone.now()
    BouncingAddress.objects.create(
        address_hash=address_hash(member.email),
        user=member,
        hard_bounces=3,
        last_bounced_at=now,
        suspended_at=now,
    )

    response = client_for(member).get(reverse("accounts:data_export"))

    (entry,) = json.loads(response.content)["email_bounces"]
    assert entry["hard_bounces"] == 3
    assert entry["suspended_at"] is not None


def test_deleting_the_account_deletes_the_count(member):
    other = UserFactory()
    BouncingAddress.objects.create(address_hash=address_hash(member.email), user=member)
    BouncingAddress.objects.create(address_hash=address_hash(other.email), user=other)

    account_services.delete_account(user=member)

    assert list(BouncingAddress.objects.values_list("user", flat=True)) == [other.pk]


def test_an_old_count_goes_and_a_suspension_stays(settings):
    now = timezone.now()
    old = now - dt.timedelta(days=settings.DELIVERY_RETENTION_DAYS + 1)
    BouncingAddress.objects.create(address_hash="a" * 64, hard_bounces=1, last_bounced_at=old)
    BouncingAddress.objects.create(address_hash="b" * 64, hard_bounces=1, last_bounced_at=now)
    BouncingAddress.objects.create(
        address_hash="c" * 64, hard_bounces=3, last_bounced_at=old, suspended_at=old
    )

    assert purge(now)["email_bounces"] == 1

    remaining = BouncingAddress.objects.values_list("address_hash", flat=True)
    assert sorted(digest[0] for digest in remaining) == ["b", "c"]
