"""Reads of public warnings, and the current ones every page may show as a banner.

The banner is on every page, so the current warnings are kept in the shared cache:
written by the importer each minute (``publish_current``), read by each process at most
once every few seconds (``KEPT_SECONDS``) and never from the database while a page is
made. With the cache unreachable there is no banner; the warning still reaches members
through the radio and, when a coordinator forwards it, through this service.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from time import monotonic

from django.core.cache import cache
from django.utils import timezone

from accounts.models import User
from official.public_warnings.models import PublicWarning
from watch.areas.models import Municipality
from watch.households.models import Membership, MembershipStatus
from watch.permissions import roles_of

CURRENT_KEY = "official:public-warnings:current"
# How long a process keeps what it read. The importer publishes once a minute, so a banner
# is at most this much later; reading the shared cache was 0.14 ms of every page.
KEPT_SECONDS = 5


@dataclass(frozen=True)
class Banner:
    pk: int
    headline: str
    summary: str
    places: str
    municipality_ids: frozenset[int]
    sent_at: datetime
    expires_at: datetime | None


def publish_current() -> None:
    warnings = PublicWarning.objects.current().prefetch_related("municipalities")
    cache.set(
        CURRENT_KEY,
        [
            Banner(
                pk=warning.pk,
                headline=warning.headline,
                summary=warning.summary,
                places=", ".join(m.name for m in warning.municipalities.all()),
                municipality_ids=frozenset(m.pk for m in warning.municipalities.all()),
                sent_at=warning.sent_at,
                expires_at=warning.expires_at,
            )
            for warning in warnings
        ],
        timeout=None,
    )
    # Where the publisher also serves pages (eager tasks: tests, development), its next
    # page shows the change; the web processes see it within KEPT_SECONDS.
    kept_current.cache_clear()


@functools.lru_cache(maxsize=1)
def kept_current(_period: int) -> tuple[Banner, ...]:
    """The published warnings, read once for each ``KEPT_SECONDS`` period (its number)."""
    return tuple(cache.get(CURRENT_KEY) or [])


def banners_for(user: User | None) -> list[Banner]:
    """The current warnings for ``user``: those of their municipalities, or every one on
    the public pages. No query at all while there is no current warning."""
    published = kept_current(int(monotonic() // KEPT_SECONDS))
    now = timezone.now()
    current = [b for b in published if b.expires_at is None or b.expires_at > now]
    if not current or user is None or not user.is_authenticated:
        return current
    mine = municipalities_of(user)
    return [banner for banner in current if banner.municipality_ids & mine]


def municipalities_of(user: User) -> frozenset[int]:
    """The municipalities ``user`` lives in (as a member) or acts for: one query at most."""
    roles = roles_of(user)
    if roles.is_admin:
        return frozenset(Municipality.objects.values_list("pk", flat=True))
    lived_in = Membership.objects.filter(
        household__members__user=user, status=MembershipStatus.APPROVED
    ).values_list("area__municipality_id", flat=True)
    return frozenset(lived_in) | roles.municipality_ids
