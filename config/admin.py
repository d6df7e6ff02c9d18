"""The admin site, discovering every app's ``admin`` module except django-leaflet's.

django-leaflet's ``leaflet/admin.py`` imports GeoDjango, which needs the GDAL
library; this project stores geometry as GeoJSON and runs without GDAL, so the
stock autodiscovery (which imports every installed app's admin module) would
break ``manage.py check``. This config discovers the rest the same way Django
does, so a new app's admin is still picked up without being listed here.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule

NOT_AUTODISCOVERED = frozenset({"leaflet"})


class AdminConfig(SimpleAdminConfig):
    def ready(self) -> None:
        super().ready()
        # Imported here: allauth's decorators load models, which this config precedes.
        from allauth.account.decorators import secure_admin_login
        from django.contrib import admin

        # Django's admin login checks the password only: it would skip allauth's
        # two-factor step and its rate limits. Sign in through allauth instead.
        # allauth's documented way, which the stubs take for assigning to a method.
        admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
        for app_config in apps.get_app_configs():
            if app_config.name in NOT_AUTODISCOVERED:
                continue
            if module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
