"""Reads of a member's choices."""

from __future__ import annotations

from accounts.models import User
from notifications.alerts import languages
from notifications.alerts.models import Channel, Kind
from notifications.alerts.planning import DEFAULT_CHANNELS
from notifications.preferences.models import MemberSettings, Preference


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
        }
    current[Kind.POLICE_ALERT][Channel.INAPP] = True
    return current


def alert_language(user: User) -> str:
    """The language the member chose for their alerts (Swedish if they chose none)."""
    chosen = MemberSettings.objects.filter(user=user).values_list("alert_language", flat=True)
    return chosen.first() or languages.SWEDISH
