"""Setting up and removing a member's push devices."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import ngettext

from accounts.models import User
from notifications.push import conf
from notifications.push.models import PushSubscription


def subscribe(*, user: User, endpoint: str, p256dh: str, auth: str, label: str) -> PushSubscription:
    """Record a browser's subscription for ``user`` (validated: forms.SubscriptionForm).

    A browser that subscribes again (new keys, another member on a shared computer)
    keeps one row, which then belongs to whoever subscribed it last.
    """
    with transaction.atomic():
        # The member's row locks the count: two devices set up at once cannot both be
        # the one over the limit.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        known = PushSubscription.objects.filter(user=user).exclude(endpoint=endpoint).count()
        if known >= conf.max_devices():
            raise ValidationError(
                ngettext(
                    "You have set up %(count)d device, as many as you may. Remove it first.",
                    "You have set up %(count)d devices, as many as you may. Remove one first.",
                    known,
                )
                % {"count": known}
            )
        subscription, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={"user": user, "p256dh": p256dh, "auth": auth, "label": label},
        )
    return subscription


def unsubscribe(*, user: User, endpoint: str) -> bool:
    """The browser gave up its subscription; whether the member had it."""
    deleted, _rows = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return bool(deleted)


def remove(*, user: User, pk: int) -> bool:
    """The member removed a device on their page; whether it was theirs."""
    deleted, _rows = PushSubscription.objects.filter(user=user, pk=pk).delete()
    return bool(deleted)


def forget(ids: list[int]) -> None:
    """The push service no longer knows these subscriptions (404, 410)."""
    PushSubscription.objects.filter(pk__in=ids).delete()
