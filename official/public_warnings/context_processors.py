"""The current public warnings, for the banner on every page (templates/base.html)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from official.public_warnings import selectors


def public_warnings(request: HttpRequest) -> dict[str, Any]:
    # Lazy: pages that are not rendered from base.html (feeds, files) read nothing.
    user = getattr(request, "user", None)
    return {"public_warnings": SimpleLazyObject(lambda: selectors.banners_for(user))}
