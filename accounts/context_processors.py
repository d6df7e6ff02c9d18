from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str | Promise
    current: bool = False


def navigation_for(request: HttpRequest) -> list[NavItem]:
    """The header links for the signed-in user's roles."""
    links: list[tuple[str, str | Promise]] = [(reverse("watch:home"), _("Home"))]
    user = request.user
    if user.is_authenticated:
        links += [
            (reverse("accounts:profile"), _("Profile")),
            (reverse("mfa_index"), _("Two-factor authentication")),
        ]
        if user.is_staff:
            links.append((reverse("admin:index"), _("Administration")))
    return [NavItem(url, label, current=request.path == url) for url, label in links]


def site(request: HttpRequest) -> dict[str, object]:
    return {"SITE_NAME": settings.SITE_NAME, "navigation": navigation_for(request)}
