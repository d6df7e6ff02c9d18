"""Who may forward a public warning: the municipality's security coordinators (and
administrators), for the municipalities it concerns."""

from __future__ import annotations

from accounts.models import User
from notifications.alerts.models import Alert
from official.public_warnings.models import PublicWarning
from watch.permissions import roles_of


def can_forward_warnings(user: User) -> bool:
    roles = roles_of(user)
    return roles.is_admin or roles.is_coordinator


def concerned_municipalities(user: User, warning: PublicWarning) -> set[int]:
    """The municipalities the warning concerns that ``user`` may forward it to."""
    if not warning.is_current or not can_forward_warnings(user):
        return set()
    concerned = {municipality.pk for municipality in warning.municipalities.all()}
    roles = roles_of(user)
    return concerned if roles.is_admin else concerned & roles.municipality_ids


def forwardable_municipalities(user: User, warning: PublicWarning) -> list[int]:
    """Those of them it has not been sent to yet: a warning goes to each municipality's
    members once, whoever forwards it."""
    return sorted(concerned_municipalities(user, warning) - forwarded_to(warning))


def source(warning: PublicWarning) -> str:
    """What an alert forwarding ``warning`` records as its source (Alert.source)."""
    return f"vma:{warning.identifier}"[:200]


def forwarded_to(warning: PublicWarning) -> set[int]:
    return set(
        Alert.objects.filter(source=source(warning)).values_list("target_municipalities", flat=True)
    ) - {None}
