"""The site's header (a context processor): at most six links for the signed-in person's
main tasks, everything else in one menu.

The links depend on the role a person acts in: an official's day is alerts, areas,
observations and figures; an area contact's is their areas and their messages; a
resident's is their inbox and household. Account pages, the language and signing out
are in the menu for everyone. An official who has not yet set up two-factor
authentication sees their role's links: the pages send them to set it up
(``watch.decorators.manager_required``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from notifications import permissions as notification_permissions
from notifications.inbox.selectors import message_counts_for
from watch import permissions
from watch.shortcuts import link_url

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User

# The header's links: more would wrap on a desktop (tests/test_navigation.py).
PRIMARY_LIMIT = 6


@dataclass(frozen=True)
class NavItem:
    url: str
    label: StrOrPromise
    icon: str
    current: bool = False
    count: int = 0


@dataclass
class Navigation:
    primary: list[NavItem] = field(default_factory=list)
    menu: list[NavItem] = field(default_factory=list)
    unread: int = 0
    # Their e-mail address bounced until it was suspended: every page says so.
    email_suspended: bool = False

    @property
    def cache_key(self) -> str:
        """Everything the header's links show: with the language, one key, one rendering
        (the ``{% cache %}`` in templates/base.html)."""
        return repr(
            (
                [
                    (item.url, str(item.label), item.icon, item.current, item.count)
                    for item in self.primary
                ],
                [(item.url, str(item.label), item.icon, item.current) for item in self.menu],
                self.unread,
            )
        )


def navigation_for(request: HttpRequest) -> Navigation:
    # An error page for a request refused before AuthenticationMiddleware (a Host the
    # site does not serve) has no user: it gets the visitor's header.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        primary: list[Link] = [
            ("watch:home", _("Start"), "home"),
            ("watch:area_list", pgettext_lazy("navigation", "Areas"), "map"),
            ("account_login", _("Log in"), "user-circle"),
            ("account_signup", _("Sign up"), "plus"),
        ]
        menu: list[Link] = []
        unread = 0
        email_suspended = False
    else:
        primary, menu = links_for(user)
        counts = message_counts_for(request, user)
        unread, email_suspended = counts.unread, counts.email_suspended
    urls = {name: link_url(name) for name, _label, _icon in primary + menu}
    current = current_url(request.path, urls.values())
    return Navigation(
        primary=[
            NavItem(
                urls[name],
                label,
                icon,
                urls[name] == current,
                unread if name == "notifications:inbox" else 0,
            )
            for name, label, icon in primary
        ],
        menu=[
            NavItem(urls[name], label, icon, urls[name] == current) for name, label, icon in menu
        ],
        unread=unread,
        email_suspended=email_suspended,
    )


def current_url(path: str, urls: Iterable[str]) -> str | None:
    """The link of the page at ``path``: the longest one it is at or under ("/manage/"
    for an area's page, "/notifications/alerts/new/" rather than its parent)."""
    home = link_url("watch:home")
    matches = [url for url in urls if path == url or (url != home and path.startswith(url))]
    return max(matches, key=len, default=None)


Link = tuple[str, "StrOrPromise", str]


def links_for(user: User) -> tuple[list[Link], list[Link]]:
    """(header links, menu links) by URL name, for the roles ``user`` acts in."""
    roles = permissions.roles_of(user)
    start: Link = ("watch:home", _("Start"), "home")
    inbox: Link = ("notifications:inbox", _("Inbox"), "inbox")
    household: Link = ("watch:household", _("Your household"), "home")
    report: Link = ("watch:observation_report", pgettext_lazy("navigation", "Report"), "eye")
    public_map: Link = ("watch:area_list", pgettext_lazy("navigation", "Areas"), "map")
    menu: list[Link] = []
    if permissions.acts_for_municipalities(user):
        primary = [start]
        if roles.official_needs_mfa:
            primary.append(("mfa_activate_totp", _("Set up two-factor authentication"), "key"))
        primary += [
            ("notifications:alert_create", _("New alert"), "megaphone"),
            ("notifications:alert_list", _("Alerts"), "bell"),
            ("watch:manage", _("Areas"), "map"),
        ]
        if permissions.can_see_observations(user):
            primary.append(("watch:observation_list", _("Observations"), "eye"))
        if permissions.can_see_statistics(user):
            primary.append(("watch:statistics_index", _("Statistics"), "chart-bar"))
        if notification_permissions.can_use_tip_library(user):
            menu.append(("notifications:tip_list", _("Tip library"), "book-open"))
        if permissions.can_see_interest(user):
            menu.append(("watch:interest_map", _("Interest map"), "map-pin"))
        if permissions.can_see_audit_log(user):
            menu.append(("watch:audit_log", _("Audit log"), "clipboard-document-list"))
        menu += [("watch:area_list", _("Public map of the areas"), "map"), inbox, household]
    elif roles.is_area_contact:
        primary = [
            start,
            inbox,
            ("watch:manage", _("Your areas"), "user-group"),
            ("notifications:alert_list", _("Messages"), "paper-airplane"),
            household,
            report,
        ]
        menu.append(public_map)
        if permissions.can_see_observations(user):
            menu.append(("watch:observation_list", _("Observations"), "eye"))
    else:
        primary = [start, inbox, household, public_map, report]
    menu += [
        ("watch:my_observations", _("My reports"), "eye"),
        ("notifications:preferences", _("How you are told"), "bell"),
        ("accounts:profile", _("Profile"), "user-circle"),
        ("mfa_index", _("Two-factor authentication"), "shield-check"),
    ]
    if user.is_staff:
        menu.append(("admin:index", _("Administration"), "wrench-screwdriver"))
    # An official still to set up two-factor has one link more than the header holds.
    return primary[:PRIMARY_LIMIT], primary[PRIMARY_LIMIT:] + menu


def site(request: HttpRequest) -> dict[str, object]:
    return {"SITE_NAME": settings.SITE_NAME, "navigation": navigation_for(request)}
