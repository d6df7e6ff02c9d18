"""The admin site, discovering every app's ``admin`` module except django-leaflet's.

django-leaflet's ``leaflet/admin.py`` imports GeoDjango, which needs the GDAL
library; this project stores geometry as GeoJSON and runs without GDAL, so the
stock autodiscovery (which imports every installed app's admin module) would
break ``manage.py check``. This config discovers the rest the same way Django
does, so a new app's admin is still picked up without being listed here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from importlib import import_module
from typing import Any, TypeVar, cast

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.apps import SimpleAdminConfig
from django.contrib.admin.options import TO_FIELD_VAR
from django.core.exceptions import BadRequest
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _

from config.ids import as_id

NOT_AUTODISCOVERED = frozenset({"leaflet"})
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


class SecondFactorAdminSite(admin.AdminSite):
    """The admin, only for staff who sign in with a second factor.

    An administrator can read and change everyone's personal data: without an
    authenticator set up, every admin page sends them to set one up first (allauth's
    login then asks for its code, see ``AdminConfig.ready``).
    """

    def admin_view(self, view: View, cacheable: bool = False) -> View:
        # The parameters are checked inside the admin's own sign-in check: a visitor is
        # sent to sign in, not told their address is bad.
        inner = super().admin_view(_checking_parameters(view), cacheable)

        @wraps(inner)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            from allauth.mfa.models import Authenticator  # models load after this module

            user = request.user
            if (
                user.is_active
                and user.is_staff
                and not Authenticator.objects.filter(user_id=user.pk).exists()
            ):
                messages.warning(
                    request, _("Set up two-factor authentication before you use the admin.")
                )
                return redirect("mfa_activate_totp")
            return inner(request, *args, **kwargs)

        return cast("View", wrapper)


def _checking_parameters(view: View) -> View:
    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        check_parameters(request)
        return view(request, *args, **kwargs)

    return cast("View", checked)


# The date hierarchy shows a year up to the start of the next.
LAST_YEAR_WITH_A_NEXT = 9998


def check_parameters(request: HttpRequest) -> None:
    """Refuse (400) what Django's admin reads from a request without checking, each a
    500 before: an empty ``_to_field`` (it asks the model for a field named ""), a date
    hierarchy's year outside 1 to 9998 (a date past year 9999; Django ticket #37357), and
    an action's rows named by anything but an id (every model in the admin has whole
    numbers for keys: tests/test_hostile_parameters.py)."""
    if "" in (request.GET.get(TO_FIELD_VAR), request.POST.get(TO_FIELD_VAR)):
        raise BadRequest
    for name in request.GET:
        year = request.GET[name]
        if name.endswith("__year") and year and not _shown_year(year):
            raise BadRequest
    if any(as_id(pk) is None for pk in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)):
        raise BadRequest


def _shown_year(text: str) -> bool:
    """Whether the date hierarchy can show ``text`` as a year (an empty one is Django's to
    refuse: it answers with its list's error page)."""
    return (
        text.isascii()
        and text.isdigit()
        and len(text) <= 4
        and 1 <= int(text) <= LAST_YEAR_WITH_A_NEXT
    )


class AdminConfig(SimpleAdminConfig):
    default_site = "config.admin.SecondFactorAdminSite"

    def ready(self) -> None:
        super().ready()
        # Imported here: allauth's decorators load models, which this config precedes.
        from allauth.account.decorators import secure_admin_login

        # Django's admin login checks the password only: it would skip allauth's
        # two-factor step and its rate limits. Sign in through allauth instead.
        # allauth's documented way, which the stubs take for assigning to a method.
        admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
        for app_config in apps.get_app_configs():
            if app_config.name in NOT_AUTODISCOVERED:
                continue
            if module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
