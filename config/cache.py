"""Django's Redis cache, made to fail open.

The cache holds only what can be lost: rate-limit counters (allauth's and
``config.ratelimit``'s), the geocoder's one-lookup-a-second slot and the version of
the set of watch areas. With Django's own ``RedisCache`` an unreachable Redis turns
every page that touches one of those — the login page among them — into a 500.
``ResilientRedisCache`` answers like an empty cache instead and logs a warning, so
the site stays usable through a Redis outage (alerts are recorded and the sweep
sends them once Redis is back); what is lost meanwhile is only abuse protection.
Reads miss, writes are dropped, ``add`` reports success (so a caller that takes a
slot goes ahead) and ``incr`` reports a missing key, as Django documents.

It also keeps one redis-py client per connection pool, where Django builds one for
every cache call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")


class _RedisCacheClient(RedisCacheClient):
    """Django's, with one client per connection pool instead of one per cache call.

    Constructing a ``redis.Redis`` (some 170 response callbacks) cost a quarter of
    the CPU of a page served from the cache. A client is a thin, thread-safe wrapper
    of its pool, which opens connections anew in a forked process.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # kept for the life of this object
        if id(pool) not in self._clients:
            self._clients[id(pool)] = self._client(connection_pool=pool)
        return self._clients[id(pool)]


class ResilientRedisCache(RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _RedisCacheClient

    def _or(self, fallback: T, call: Callable[[], T], operation: str) -> T:
        try:
            return call()
        except RedisError as error:
            logger.warning("Cache %s skipped, Redis is unreachable: %s", operation, error)
            return fallback

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        parent = super()
        return self._or(default, lambda: parent.get(key, default, version), "get")

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        parent = super()
        return self._or({}, lambda: parent.get_many(keys, version), "get")

    def has_key(self, key: Any, version: int | None = None) -> bool:
        parent = super()
        return self._or(False, lambda: parent.has_key(key, version), "get")

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        parent = super()
        return self._or(True, lambda: parent.add(key, value, timeout, version), "add")

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        parent = super()
        self._or(None, lambda: parent.set(key, value, timeout, version), "set")

    def set_many(self, data: Any, timeout: Any = None, version: int | None = None) -> list[Any]:
        parent = super()
        return self._or([], lambda: parent.set_many(data, timeout, version), "set")

    def touch(self, key: Any, timeout: Any = None, version: int | None = None) -> bool:
        parent = super()
        return self._or(False, lambda: parent.touch(key, timeout, version), "touch")

    def delete(self, key: Any, version: int | None = None) -> bool:
        parent = super()
        return self._or(False, lambda: parent.delete(key, version), "delete")

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        parent = super()
        self._or(None, lambda: parent.delete_many(keys, version), "delete")

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            logger.warning("Cache incr skipped, Redis is unreachable: %s", error)
            raise ValueError(f"Key {key!r} not found (Redis is unreachable)") from error

    def clear(self) -> None:
        parent = super()
        self._or(None, parent.clear, "clear")
