"""What an alert's target means: the active areas it reaches, and their municipalities."""

from __future__ import annotations

from notifications.alerts.models import (
    Alert,
    TargetKind,
)
from watch.areas import selectors as area_selectors
from watch.areas.geometry import shapes
from watch.areas.models import WatchArea


def resolve_areas(alert: Alert) -> list[WatchArea]:
    """The active areas the alert's target means, as of now."""
    active = WatchArea.objects.active()
    if alert.target_kind == TargetKind.AREAS:
        return list(active.filter(pk__in=alert.target_areas.values("pk")))
    if alert.target_kind == TargetKind.MUNICIPALITIES:
        return list(active.filter(municipality__in=alert.target_municipalities.values("pk")))
    shape = shapes.load_trusted(alert.target_shape)
    municipality_ids = set(alert.target_municipalities.values_list("pk", flat=True))
    return area_selectors.areas_intersecting(shape, municipality_ids=municipality_ids or None)


def target_municipality_ids(alert: Alert) -> set[int]:
    if alert.target_kind == TargetKind.AREAS:
        return set(alert.target_areas.values_list("municipality_id", flat=True))
    return set(alert.target_municipalities.values_list("pk", flat=True))
