from allauth.account.views import logout
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from accounts.views import set_language
from config.errors import too_large
from config.security import clears_site_data
from config.views import healthz, liveness
from notifications.push.views import manifest, service_worker

urlpatterns = [
    path("", include("watch.urls")),
    # The installable app: at the root, so the service worker's scope is the whole site.
    path("manifest.webmanifest", manifest, name="webmanifest"),
    path("sw.js", service_worker, name="service_worker"),
    path("accounts/logout/", clears_site_data(logout), name="account_logout"),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.passkey_urls")),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("official.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("healthz/live", liveness, name="liveness"),
    path("errors/413/", too_large, name="too_large"),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler500 = "config.errors.server_error"
