"""Members' choices, one-click unsubscribe, and verifying a mobile number by code."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.alerts.models import Channel, Kind
from notifications.preferences.models import ALWAYS_INAPP, MemberSettings, Preference
from notifications.sms import backends as sms_backends
from notifications.sms import verification


def set_preferences(*, user: User, choices: dict[str, dict[str, bool]]) -> None:
    """Save channels per kind; police alerts and answers always keep in-app."""
    with transaction.atomic():
        for kind, channels in choices.items():
            Preference.objects.update_or_create(
                user=user,
                kind=kind,
                defaults={
                    "email": channels.get(Channel.EMAIL, False),
                    "sms": channels.get(Channel.SMS, False),
                    "inapp": kind in ALWAYS_INAPP or channels.get(Channel.INAPP, False),
                    "push": channels.get(Channel.PUSH, False),
                },
            )


def unsubscribe(*, user_id: int, kind: str) -> None:
    """One-click unsubscribe: no more e-mail of this kind."""
    if kind not in Kind.values or not User.objects.filter(pk=user_id, is_active=True).exists():
        raise ValidationError(_("This unsubscribe link is not valid."))
    Preference.objects.update_or_create(user_id=user_id, kind=kind, defaults={"email": False})


def member_settings(user: User) -> MemberSettings:
    settings_, _created = MemberSettings.objects.get_or_create(user=user)
    return settings_


def text_verified(user: User, text: str) -> bool:
    """Text ``user`` now if their number is verified; whether the provider took it."""
    if (
        not user.phone
        or not MemberSettings.objects.filter(user=user, verified_phone=user.phone).exists()
    ):
        return False
    results = sms_backends.get_backend().send_messages(
        [sms_backends.SMSMessage(to=user.phone, body=text)]
    )
    return bool(results) and all(result.ok for result in results)


def _key(user: User) -> str:
    """Whose number a code is for: the member and the number (notifications.sms.verification)."""
    return f"{user.pk}:{user.phone}"


def send_phone_verification(*, user: User) -> None:
    """Text a six-digit code to the user's mobile number."""
    if not user.phone:
        raise ValidationError(_("Add a mobile number to your profile first."))
    with transaction.atomic():
        settings_ = MemberSettings.objects.select_for_update().get(pk=member_settings(user).pk)
        code = verification.issue(settings_, key=_key(user), now=timezone.now())
        settings_.save()
    verification.text(user.phone, code)


def verify_phone(*, user: User, code: str) -> None:
    with transaction.atomic():
        settings_ = MemberSettings.objects.select_for_update().get(pk=member_settings(user).pk)
        error = verification.check(settings_, key=_key(user), code=code, now=timezone.now())
        if not error:
            settings_.verified_phone = user.phone
        # A wrong try is counted (and committed) before the error is raised.
        settings_.save()
    if error:
        raise ValidationError(error)
