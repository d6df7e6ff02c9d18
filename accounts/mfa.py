"""Authenticator apps (TOTP) for the demo and the tests, through allauth's public API.

A person sets up their own through allauth's pages; the demo's officials share a
printed secret instead, and tests give officials a random one.
"""

from __future__ import annotations

import pyotp
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator

from accounts.models import User


def activate_totp(user: User, secret: str) -> Authenticator:
    """Give ``user`` an authenticator app with ``secret`` (base32), stored as allauth stores it."""
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": get_adapter().encrypt(secret)}
    )


def random_secret() -> str:
    return pyotp.random_base32()


def current_code(secret: str) -> str:
    """The code an authenticator app with ``secret`` shows now."""
    return pyotp.TOTP(secret).now()
