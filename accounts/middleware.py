from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
    else) and AuthenticationMiddleware, so the profile choice follows the user across
    devices.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
