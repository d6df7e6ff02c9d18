"""Municipality borders for display: checked, repaired and simplified.

A border is only drawn (under the areas, when the tile server is out of reach); it
decides nothing, so it is simplified to about 50 m, which takes an official border of
tens of thousands of points to a few hundred.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely import make_valid
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

from watch.areas.geometry import shapes

# Degrees: about 50 m north-south in Sweden.
SIMPLIFY_TOLERANCE = 0.00045


def outline_of(geometry: Any, *, name: str) -> dict[str, Any]:
    """``geometry`` (GeoJSON, WGS 84) as a simplified Polygon or MultiPolygon."""
    try:
        geom = make_valid(shape(geometry))
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise ValidationError(
            _("The border of %(name)s is not GeoJSON.") % {"name": name}
        ) from error
    # Repairing a self-touching ring may leave lines and points beside the polygons.
    parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon | MultiPolygon)]
    if not parts or not shapes.region_bbox().contains_bbox(shapes.bbox_of(geom)):
        raise ValidationError(
            _("The border of %(name)s is not a shape in Sweden (WGS 84 longitude, latitude).")
            % {"name": name}
        )
    polygons = [p for part in parts for p in getattr(part, "geoms", [part])]
    outline = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
    simplified = outline.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
    return json.loads(json.dumps(mapping(simplified)))
