"""The Redis cache keeps one redis-py client for its connection pool (config/cache.py).

Django's own builds a client for every cache call. The kept client must go on
working as Django's would: through a Redis restart, failing open meanwhile.
"""

from __future__ import annotations

import shutil

import pytest
from django.core.cache import caches

from tests.live import redis_server

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="needs redis-server on the PATH"
)


@pytest.fixture
def cache(settings):  # type: ignore[no-untyped-def]
    with redis_server() as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "config.cache.ResilientRedisCache",
                "LOCATION": server.url,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        yield server, caches["default"]


def test_every_cache_call_goes_through_one_client(cache) -> None:
    _server, backend = cache

    backend.set("key", "value")

    client = backend._cache.get_client()
    assert backend._cache.get_client("key", write=True) is client
    assert backend.get("key") == "value"
    assert backend._cache.get_client("key") is client


def test_the_kept_client_fails_open_while_redis_restarts_and_then_goes_on(cache) -> None:
    server, backend = cache
    backend.set("before", 1)

    server.stop()
    assert backend.get("before", "missed") == "missed"
    backend.set("during", 2)  # dropped
    server.start()

    backend.set("after", 3)
    assert backend.get("after") == 3
    assert backend.get("during") is None  # a restarted Redis keeps nothing
