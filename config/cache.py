"""The shared cache: django-redis, failing open while Redis is unreachable.

The cache holds only what can be lost (rate-limit counters, the areas' version, the
geocoder's slot). With ``IGNORE_EXCEPTIONS`` (settings CACHES) django-redis answers
like an empty cache during an outage instead of failing the page, so members still
sign in and alerts still go out; only abuse protection is lost meanwhile.
"""

from __future__ import annotations

from typing import Any

from django_redis.cache import RedisCache


class FailOpenRedisCache(RedisCache):
    def add(self, *args: Any, **kwargs: Any) -> bool:
        """Whoever takes a slot during an outage goes ahead.

        django-redis answers None when Redis is unreachable; allauth's rate limits take
        a lock with ``add`` and would refuse every login until Redis is back.
        """
        added = super().add(*args, **kwargs)
        return True if added is None else bool(added)
