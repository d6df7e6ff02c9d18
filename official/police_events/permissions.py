"""Who may start an alert from a police event: the officials of its municipality."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from official.police_events.models import PoliceEvent
from watch.permissions import roles_of


def startable_events(user: User) -> QuerySet[PoliceEvent]:
    roles = roles_of(user)
    if roles.is_admin:
        return PoliceEvent.objects.all()
    return PoliceEvent.objects.filter(municipality__in=roles.municipality_ids)
