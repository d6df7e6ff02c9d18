"""With Redis unreachable the site stays usable: the cache fails open (settings CACHES).

The cache here is the production backend pointed at a port nobody listens on, so
every call meets a real connection error, as in an outage.
"""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import DEFAULT_PASSWORD, HouseholdFactory, resident
from tests.live import redis_cache
from watch.areas import geocoding
from watch.households.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def redis_down(settings):
    settings.CACHES = redis_cache(settings, "redis://127.0.0.1:1/0")


def test_the_cache_answers_like_an_empty_one(caplog):
    caplog.set_level(logging.ERROR, logger="django_redis.cache")
    cache.set("key", "value")

    assert cache.get("key", "missing") == "missing"
    assert cache.get_many(["key"]) == {}
    assert cache.add("slot", True) is True  # whoever takes a slot goes ahead
    assert cache.incr("counter") is None
    assert "Exception ignored" in caplog.text


def test_address_search_still_looks_up(settings):
    assert geocoding._take_this_seconds_slot() is True


def test_members_still_sign_in(member):
    client = Client()

    response = client.post(
        reverse("account_login"), {"login": member.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_rate_limited_actions_still_go_through(settings, member, area):
    settings.RATE_LIMITS = {"join": "1/d"}
    resident(member, HouseholdFactory.inside(area))
    client = client_for(member)
    client.post(reverse("watch:join", args=[999_999]))  # the one allowed today, if counted

    response = client.post(reverse("watch:join", args=[area.pk]))

    assert response.status_code == 302
    assert Membership.objects.filter(household__members__user=member).exists()


def test_pages_that_read_the_cache_still_answer(client, area):
    assert client.get(reverse("watch:area_list")).status_code == 200
    assert client.get(reverse("watch:areas_geojson")).status_code == 200
