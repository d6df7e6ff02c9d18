"""Writes of areas: creating and changing them, with the overlap warning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from watch import permissions
from watch.areas import selectors
from watch.areas.geometry import shapes
from watch.areas.models import AreaStatus, Municipality, WatchArea
from watch.audit.models import AuditAction
from watch.audit.services import record


@dataclass(frozen=True)
class AreaDetails:
    name: str
    boundary: shapes.Boundary
    status: str = AreaStatus.PROPOSED
    description: str = ""
    start_meeting_date: date | None = None


def save_area(
    *,
    actor: User,
    municipality: Municipality,
    details: AreaDetails,
    area: WatchArea | None = None,
) -> tuple[WatchArea, list[WatchArea]]:
    """Create ``area`` (None) or update it; return it and the areas it overlaps (a warning)."""
    if not permissions.can_administer_municipality(actor, municipality):
        raise PermissionDenied
    if area is not None and not permissions.can_edit_area(actor, area):
        raise PermissionDenied
    creating = area is None
    if area is None:
        area = WatchArea(municipality=municipality)
    area.municipality = municipality
    area.name = details.name
    area.boundary = shapes.to_geojson(details.boundary)
    area.status = details.status
    area.description = details.description
    area.start_meeting_date = details.start_meeting_date
    with transaction.atomic():
        try:
            with transaction.atomic():
                area.save()
        except IntegrityError:
            raise ValidationError(
                {
                    "name": _("%(municipality)s already has an area with this name.")
                    % {"municipality": municipality.name}
                }
            ) from None
        record(
            actor=actor,
            action=AuditAction.AREA_CREATED if creating else AuditAction.AREA_UPDATED,
            area=area,
            detail=f"{area.name} ({area.status})",
        )
    return area, selectors.overlapping_areas(area)
