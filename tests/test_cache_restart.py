"""The production cache through a Redis restart: failing open meanwhile, then going on."""

from __future__ import annotations

import shutil

import pytest
from django.core.cache import caches

from tests.live import redis_cache, redis_server

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="needs redis-server on the PATH"
)


@pytest.fixture
def cache(settings):  # type: ignore[no-untyped-def]
    with redis_server() as server:
        settings.CACHES = redis_cache(settings, server.url)
        yield server, caches["default"]


def test_the_cache_fails_open_while_redis_restarts_and_then_goes_on(cache) -> None:
    server, backend = cache
    backend.set("before", 1)

    server.stop()
    assert backend.get("before", "missed") == "missed"
    backend.set("during", 2)  # dropped
    server.start()

    backend.set("after", 3)
    assert backend.get("after") == 3
    assert backend.get("during") is None  # a restarted Redis keeps nothing
