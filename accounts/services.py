"""Members' rights over their personal data, and how long the service keeps it.

What each app holds is the app's own to declare (``accounts.personal_data``): this
module exports, erases and purges through those declarations and knows no other app.

Deleting an account anonymises the user row rather than deleting it: the row keeps
no name, address, e-mail or phone, cannot log in, and still holds together what
others need — the sender's delivery counts (one member per user row), the history
of join decisions and the audit log's "one person did these things".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils import timezone

from accounts import personal_data, signals
from accounts.models import User
from accounts.personal_data import PersonalData

DELETED_EMAIL_DOMAIN = "deleted.invalid"  # RFC 2606: can never be a real mailbox


def export_personal_data(*, user: User) -> dict[str, Any]:
    """All data held about ``user``, as JSON-ready values, recorded as exported first (so
    the export shows that record too)."""
    signals.personal_data_exported.send(sender=User, user=user)
    return personal_data.export(user)


def delete_account(*, user: User) -> None:
    """Erase ``user``'s personal data and close the account for good."""
    with transaction.atomic():
        personal_data.erase(user)
        user.email = f"deleted-{user.pk}@{DELETED_EMAIL_DOMAIN}"
        user.full_name = ""
        user.phone = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.last_login = None
        # Also ends the account's sessions elsewhere: they carry a hash of the password.
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        signals.account_deleted.send(sender=User)


def purge_expired_records(*, now: datetime | None = None) -> dict[str, int]:
    """Delete what every app keeps past its retention period (README "Personal data")."""
    return personal_data.purge(now or timezone.now())


# --- What accounts itself holds: the login ---------------------------------------------------


def _export(user: User) -> dict[str, Any]:
    return {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "language": user.language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_addresses": list(
                EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
            ),
        }
    }


def _erase(user: User) -> None:
    """E-mail addresses and two-factor devices go; the user row is anonymised after."""
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()


PERSONAL_DATA = PersonalData(export=_export, erase=_erase, purge=lambda now: {})
