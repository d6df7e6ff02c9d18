"""The site's header: the links of the signed-in person's roles (a context processor).

An official who has not yet set up two-factor authentication sees their role's links:
the pages send them to set it up (``watch.decorators.manager_required``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications import permissions as notification_permissions
from notifications.inbox.selectors import unread_count
from watch import permissions

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class NavItem:
    url: str
    label: StrOrPromise
    current: bool = False


def navigation_for(request: HttpRequest) -> list[NavItem]:
    """The header links for the signed-in user's roles."""
    links: list[tuple[str, StrOrPromise]] = [
        (reverse("watch:home"), _("Home")),
        (reverse("watch:area_list"), _("Areas")),
    ]
    user = request.user
    if user.is_authenticated:
        links.append((reverse("watch:household"), _("Your household")))
        unread = unread_count(user.pk)
        links.append(
            (
                reverse("notifications:inbox"),
                _("Inbox (%(count)d unread)") % {"count": unread} if unread else _("Inbox"),
            )
        )
        if permissions.roles_of(user).official_needs_mfa:
            # Every official page sends them there until it is done.
            links.append((reverse("mfa_activate_totp"), _("Set up two-factor authentication")))
        if permissions.can_manage_areas(user):
            links.append((reverse("watch:manage"), _("Manage areas")))
            links.append((reverse("notifications:alert_list"), _("Alerts")))
        if notification_permissions.can_use_tip_library(user):
            links.append((reverse("notifications:tip_list"), _("Tip library")))
        # Residents report (the page tells those not yet in an area how to join one);
        # contacts and coordinators receive; officials see their municipalities' figures.
        if not permissions.acts_for_municipalities(user):
            links.append((reverse("watch:observation_report"), _("Report an observation")))
        if permissions.can_see_observations(user):
            links.append((reverse("watch:observation_list"), _("Observations")))
        if permissions.can_see_statistics(user):
            links.append((reverse("watch:statistics_index"), _("Statistics")))
        if permissions.can_see_audit_log(user):
            links.append((reverse("watch:audit_log"), _("Audit log")))
        links += [
            (reverse("notifications:preferences"), _("Notifications")),
            (reverse("accounts:profile"), _("Profile")),
            (reverse("mfa_index"), _("Two-factor authentication")),
        ]
        if user.is_staff:
            links.append((reverse("admin:index"), _("Administration")))
    return [NavItem(url, label, current=request.path == url) for url, label in links]


def site(request: HttpRequest) -> dict[str, object]:
    return {"SITE_NAME": settings.SITE_NAME, "navigation": navigation_for(request)}
