"""Reads of a member's choices."""

from __future__ import annotations

from accounts.models import User
from notifications.alerts.models import Channel, Kind
from notifications.alerts.planning import DEFAULT_CHANNELS
from notifications.preferences.models import Preference


def channels_by_kind(user: User) -> dict[str, dict[str, bool]]:
    """The member's channels for every kind of message: their choices, or the defaults.

    Police alerts always stay in the in-app inbox.
    """
    current = {kind: dict(DEFAULT_CHANNELS) for kind in Kind.values}
    for preference in Preference.objects.filter(user=user):
        current[preference.kind] = {
            Channel.EMAIL: preference.email,
            Channel.SMS: preference.sms,
            Channel.INAPP: preference.inapp,
            Channel.PUSH: preference.push,
        }
    current[Kind.POLICE_ALERT][Channel.INAPP] = True
    return current
