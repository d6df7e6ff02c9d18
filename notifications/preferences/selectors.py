"""Reads of a member's choices."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from accounts.models import User
from notifications.alerts import languages
from notifications.alerts.models import Channel
from notifications.alerts.planning import DEFAULT_CHANNELS, quiet_hours_end
from notifications.preferences.models import (
    ALWAYS_INAPP,
    ANSWERS,
    PREFERENCE_KINDS,
    MemberSettings,
    Preference,
)


def channels_by_kind(user: User) -> dict[str, dict[str, bool]]:
    """The member's channels for every kind of message: their choices, or the defaults.

    Police alerts and answers always stay in the in-app inbox.
    """
    current = {kind: dict(DEFAULT_CHANNELS) for kind, _label in PREFERENCE_KINDS}
    for preference in Preference.objects.filter(user=user):
        current[preference.kind] = {
            Channel.EMAIL: preference.email,
            Channel.SMS: preference.sms,
            Channel.INAPP: preference.inapp,
            Channel.PUSH: preference.push,
        }
    for kind in ALWAYS_INAPP:
        current[kind][Channel.INAPP] = True
    return current


def answer_channels(users: Sequence[User], now: datetime) -> dict[int, set[str]]:
    """How each of ``users`` is told of an answer (notifications.answers), by user id: in
    the app always; by e-mail unless they turned it off; by SMS if they chose it, their
    number is verified and it is not their quiet hours (an answer is never urgent, and
    it waits in the app). Two queries however many."""
    chosen = {
        user_id: (email, sms)
        for user_id, email, sms in Preference.objects.filter(
            user__in=users, kind=ANSWERS
        ).values_list("user_id", "email", "sms")
    }
    settings_ = {row.user_id: row for row in MemberSettings.objects.filter(user__in=users)}
    found = {}
    for user in users:
        email, sms = chosen.get(
            user.pk, (DEFAULT_CHANNELS[Channel.EMAIL], DEFAULT_CHANNELS[Channel.SMS])
        )
        channels: set[str] = {Channel.INAPP}
        if email:
            channels.add(Channel.EMAIL)
        mine = settings_.get(user.pk)
        if (
            sms
            and mine is not None
            and user.phone
            and mine.verified_phone == user.phone
            and quiet_hours_end(
                mine.quiet_hours_enabled, mine.quiet_hours_start, mine.quiet_hours_end, now
            )
            is None
        ):
            channels.add(Channel.SMS)
        found[user.pk] = channels
    return found


def alert_language(user: User) -> str:
    """The language the member chose for their alerts (Swedish if they chose none)."""
    chosen = MemberSettings.objects.filter(user=user).values_list("alert_language", flat=True)
    return chosen.first() or languages.SWEDISH
