"""Who may forward a public warning: the municipality's security coordinators (and
administrators), for the municipalities it concerns."""

from __future__ import annotations

from accounts.models import User
from official.public_warnings.models import PublicWarning
from watch.permissions import roles_of


def can_forward_warnings(user: User) -> bool:
    roles = roles_of(user)
    return roles.is_admin or roles.is_coordinator


def forwardable_municipalities(user: User, warning: PublicWarning) -> list[int]:
    if not warning.is_current or not can_forward_warnings(user):
        return []
    concerned = {municipality.pk for municipality in warning.municipalities.all()}
    roles = roles_of(user)
    if roles.is_admin:
        return sorted(concerned)
    return sorted(concerned & roles.municipality_ids)
