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
from django.contrib.admin.apps import SimpleAdminConfig
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _

NOT_AUTODISCOVERED = frozenset({"leaflet"})
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


class SecondFactorAdminSite(admin.AdminSite):
    """The admin, only for staff who sign in with a second factor.

    An administrator can read and change everyone's personal data: without an
    authenticator set up, every admin page sends them to set one up first (allauth's
    login then asks for its code, see ``AdminConfig.ready``).
    """

    def admin_view(self, view: View, cacheable: bool = False) -> View:
        inner = super().admin_view(view, cacheable)

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
