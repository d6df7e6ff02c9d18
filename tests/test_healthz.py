"""/healthz for an uptime monitor, /healthz/live for container health checks."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.celery_app import HEARTBEAT_CACHE_KEY, heartbeat
from tests.live import redis_cache

pytestmark = pytest.mark.django_db


def test_a_recent_heartbeat_is_healthy(client):
    heartbeat()

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["stale"] == []
    assert response.json()["worker_heartbeat"] == cache.get(HEARTBEAT_CACHE_KEY)


def test_a_stale_heartbeat_is_503_and_says_so(client, settings):
    settings.HEALTHZ_HEARTBEAT_MAX_AGE_SECONDS = 180
    with time_machine.travel(timezone.now() - timedelta(seconds=181)):
        heartbeat()

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["stale"] == ["worker_heartbeat"]
    assert (response.json()["database"], response.json()["cache"]) == ("ok", "ok")


def test_no_heartbeat_at_all_is_503(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "worker_heartbeat": None,
        "stale": ["worker_heartbeat"],
    }


def test_a_database_that_does_not_answer_is_503(client, monkeypatch):
    heartbeat()

    def broken(*args, **kwargs):
        raise ConnectionError("the database is down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["stale"] == ["database"]


def test_a_cache_that_does_not_answer_is_503_and_named(client, settings):
    settings.CACHES = redis_cache(settings, "redis://127.0.0.1:1/0")

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["cache"] == "unavailable"
    assert response.json()["stale"] == ["cache"]


def test_liveness_asks_neither_the_database_nor_the_cache(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("liveness"))

    assert response.status_code == 200
    assert response.json() == {"web": "ok"}
