"""Verifying a mobile number with a code texted to it: a member's own number
(notifications.preferences) and a household on paper's, whose resident reads the code
to their area contact (watch.paper).

Six digits, valid 15 minutes, five tries, a new one after a minute at the earliest. Only
the code's HMAC under the site's secret is kept, over whose number it is and the number
itself: a code texted to one number verifies no other, and whoever reads the database
cannot work the code out from six digits' worth of plain hashes.

The caller keeps the pending code on a row of its own (``PendingCode``), locks that row
around ``issue`` and ``check`` and saves it; each number's owner is a ``key`` such as
``"12:+46701740605"``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from notifications.sms import backends as sms_backends

CODE_LENGTH = 6


MAX_ATTEMPTS = 5


VALID = timedelta(minutes=15)


RESEND_AFTER = timedelta(seconds=60)


class PendingCode(Protocol):
    verification_code_hash: str
    verification_sent_at: datetime | None
    verification_attempts: int


def _hash(key: str, code: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"{key}:{code}".encode(), hashlib.sha256).hexdigest()


def issue(pending: PendingCode, *, key: str, now: datetime) -> str:
    """A new code on ``pending`` (the caller saves it); ValidationError if the last one
    went out less than a minute ago."""
    if pending.verification_sent_at and now - pending.verification_sent_at < RESEND_AFTER:
        raise ValidationError(_("A code was sent a moment ago. Wait a minute before asking again."))
    code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
    pending.verification_code_hash = _hash(key, code)
    pending.verification_sent_at = now
    pending.verification_attempts = 0
    return code


def text(to: str, code: str, *, wording: str = "", **names: str) -> bool:
    """Text ``code`` to ``to`` in the active language; whether the provider took it.
    ``wording``: the message, with ``%(code)s`` and the ``names`` it uses; a member's own
    by default."""
    wording = wording or _("Your Grannsamverkan code is %(code)s. It is valid for 15 minutes.")
    body = wording % {**names, "code": code}
    results = sms_backends.get_backend().send_messages([sms_backends.SMSMessage(to=to, body=body)])
    return bool(results) and all(result.ok for result in results)


def is_pending(pending: PendingCode, now: datetime) -> bool:
    """Whether a code went out that may still be entered."""
    return (
        bool(pending.verification_code_hash)
        and pending.verification_sent_at is not None
        and now - pending.verification_sent_at <= VALID
        and pending.verification_attempts < MAX_ATTEMPTS
    )


def check(pending: PendingCode, *, key: str, code: str, now: datetime) -> str:
    """Why ``code`` does not verify the number, or "" when it does (the code is then
    used up). A wrong code counts as a try on ``pending``: the caller saves it before it
    reports the error, so guessing stays bounded."""
    if not pending.verification_code_hash or pending.verification_sent_at is None:
        return _("Ask for a code first.")
    if pending.verification_attempts >= MAX_ATTEMPTS:
        return _("Too many wrong codes. Ask for a new one.")
    if now - pending.verification_sent_at > VALID:
        return _("The code has expired. Ask for a new one.")
    if not hmac.compare_digest(pending.verification_code_hash, _hash(key, code.strip())):
        pending.verification_attempts += 1
        return _("That code is not right.")
    pending.verification_code_hash = ""
    return ""
