"""Request types for views."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request to a view behind ``login_required``: its user is signed in."""

    user: User
