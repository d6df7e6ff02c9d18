"""View decorators shared by every app's management pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from watch import permissions

View = Callable[..., HttpResponseBase]


def manager_required(view: View) -> View:
    """Signed in; officials are sent to set up two-factor authentication first."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if permissions.roles_of(request.user).official_needs_mfa:
            messages.warning(
                request,
                _("Set up two-factor authentication before you use your role as an official."),
            )
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    return wrapper
