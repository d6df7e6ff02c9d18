"""Authentication backends: Django's and allauth's, reading the signed-in user in a
query written once.

Every signed-in request reads its user (``django.contrib.auth.get_user``). The ORM's
``get()`` builds the same SQL anew each time; ``raw()`` with a fixed query cost the
inbox 0.13 to 0.30 ms less CPU, and an empty one 0.25 to 0.37, a tenth of it (README
"Signed-in pages, a tenth round"). ``tests/test_user_read.py`` holds the query to the model.

A session names the backend that logged it in, and ``get_user`` reads only sessions of a
listed backend: sessions from before these were listed end once, at the upgrade.
"""

from __future__ import annotations

from typing import Any

from allauth.account import auth_backends as allauth_backends
from asgiref.sync import sync_to_async
from django.contrib.auth import backends

from accounts.models import User

_USER = "SELECT * FROM accounts_user WHERE id = %s"


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        for user in User.objects.raw(_USER, [user_id]):
            return user if self.user_can_authenticate(user) else None
        return None

    async def aget_user(self, user_id: Any) -> User | None:
        # request.auser() in an async view: the same read (Django's own reads with aget()).
        return await sync_to_async(self.get_user)(user_id)


class AuthenticationBackend(ModelBackend, allauth_backends.AuthenticationBackend):
    """allauth's login by e-mail address (and its login by code or passkey), with the
    user read as above."""
