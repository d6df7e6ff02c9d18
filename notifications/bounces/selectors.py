"""Whether a member's e-mail address is suspended after hard bounces."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from notifications.notices.models import BouncingAddress
from notifications.notices.services import address_hash


def address_suspended(user: User) -> bool:
    """True while ``user``'s current address is suspended: one indexed query.

    A suspension is about an address: once the member has changed theirs, it no
    longer applies to them.
    """
    return suspended_rows(user).exists()


def suspended_rows(user: User) -> QuerySet[BouncingAddress]:
    """The row that suspends ``user``'s current address, if there is one."""
    return BouncingAddress.objects.filter(
        user_id=user.pk, address_hash=address_hash(user.email), suspended_at__isnull=False
    )
