"""Members' choices, one-click unsubscribe, and verifying a mobile number by code."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.alerts.models import Channel, Kind
from notifications.preferences.models import ALWAYS_INAPP, MemberSettings, Preference
from notifications.sms import backends as sms_backends


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


VERIFICATION_CODE_LENGTH = 6


VERIFICATION_MAX_ATTEMPTS = 5


VERIFICATION_VALID = timedelta(minutes=15)


VERIFICATION_RESEND_AFTER = timedelta(seconds=60)


def _code_hash(user: User, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{user.pk}:{user.phone}:{code}".encode(), hashlib.sha256).hexdigest()


def send_phone_verification(*, user: User) -> None:
    """Text a six-digit code to the user's mobile number."""
    if not user.phone:
        raise ValidationError(_("Add a mobile number to your profile first."))
    now = timezone.now()
    with transaction.atomic():
        settings_ = MemberSettings.objects.select_for_update().get(pk=member_settings(user).pk)
        if (
            settings_.verification_sent_at
            and now - settings_.verification_sent_at < VERIFICATION_RESEND_AFTER
        ):
            raise ValidationError(
                _("A code was sent a moment ago. Wait a minute before asking again.")
            )
        code = f"{secrets.randbelow(10**VERIFICATION_CODE_LENGTH):0{VERIFICATION_CODE_LENGTH}d}"
        settings_.verification_code_hash = _code_hash(user, code)
        settings_.verification_sent_at = now
        settings_.verification_attempts = 0
        settings_.save()
    text = _("Your Grannsamverkan code is %(code)s. It is valid for 15 minutes.") % {"code": code}
    sms_backends.get_backend().send_messages([sms_backends.SMSMessage(to=user.phone, body=text)])


def verify_phone(*, user: User, code: str) -> None:
    with transaction.atomic():
        settings_ = MemberSettings.objects.select_for_update().get(pk=member_settings(user).pk)
        if not settings_.verification_code_hash or settings_.verification_sent_at is None:
            error = _("Ask for a code first.")
        elif settings_.verification_attempts >= VERIFICATION_MAX_ATTEMPTS:
            error = _("Too many wrong codes. Ask for a new one.")
        elif timezone.now() - settings_.verification_sent_at > VERIFICATION_VALID:
            error = _("The code has expired. Ask for a new one.")
        elif not hmac.compare_digest(
            settings_.verification_code_hash, _code_hash(user, code.strip())
        ):
            # Counted (and committed) before the error is raised, so guessing is bounded.
            settings_.verification_attempts += 1
            settings_.save(update_fields=["verification_attempts"])
            error = _("That code is not right.")
        else:
            settings_.verified_phone = user.phone
            settings_.verification_code_hash = ""
            settings_.save()
            return
    raise ValidationError(error)
