from __future__ import annotations

from collections.abc import Callable
from typing import Literal, cast

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

SameSite = Literal["Lax", "Strict", "None", False] | None


class ChosenLanguageMiddleware:
    """Serve the site's language (``LANGUAGE_CODE``) unless the visitor chose another.

    In place of Django's LocaleMiddleware, which follows the browser's Accept-Language.
    A Swedish municipality's service speaks Swedish to someone whose computer merely came
    set up in English, as Swedish public services do; English is one click away in the
    menu, and that choice is kept in the language cookie (and, for a signed-in user, on
    their profile: ``UserLanguageMiddleware``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        offered = {code for code, _name in settings.LANGUAGES}
        translation.activate(chosen if chosen in offered else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The page depends on the cookie, and on nothing the browser says of itself.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class UserLanguageMiddleware:
    """Serve a signed-in user in the language saved on their profile.

    Runs after ChosenLanguageMiddleware (which reads the language cookie for everyone
    else), AuthenticationMiddleware and MessageMiddleware, so the profile choice follows
    the user across devices. Where the device showed another language (before a login, or
    before the profile was changed elsewhere), the page says why the language changed, and
    the cookie takes the profile's: the switch is explained once, and a logout does not
    switch back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.language:
            return self.get_response(request)
        shown = request.LANGUAGE_CODE  # the cookie's, or the site's
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
        if shown == user.language:
            return self.get_response(request)
        messages.info(
            request,
            _("The site is in the language of your profile. You can change it in the menu."),
        )
        response = self.get_response(request)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            # A setting, typed as any string; Django's set_language passes it as is.
            samesite=cast(SameSite, settings.LANGUAGE_COOKIE_SAMESITE),
        )
        return response
