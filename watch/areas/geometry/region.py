"""The region the service covers (``settings.GEOMETRY_REGION_BBOX``): places and boundaries
outside it are refused in words the people who meet the refusal use."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from watch.areas.geometry.shapes import BBox, GeometryError, region_bbox


def check(box: BBox, *, point: bool) -> None:
    """Refuse a place (``point``) or a boundary outside the region, in plain words.

    The people who meet this are residents placing their home and officials pasting
    a boundary: the message names latitude and longitude, not a file format, and
    writes the region's numbers as the page's language does ("10,5" in Swedish).
    """
    if not BBox(-180.0, -90.0, 180.0, 90.0).contains_bbox(box):
        # Municipal GIS exports are often in SWEREF 99 TM (metres), which no amount
        # of "outside Sweden" explanation would make obvious.
        raise GeometryError(
            _(
                "The coordinates are not longitude/latitude degrees. Convert projected "
                "coordinates (such as SWEREF 99 TM) to WGS 84 first."
            ),
            code="not_wgs84",
        )
    covered = region_bbox()
    if covered.contains_bbox(box):
        return
    params = {
        "min_lon": _degrees(covered.min_lon),
        "max_lon": _degrees(covered.max_lon),
        "min_lat": _degrees(covered.min_lat),
        "max_lat": _degrees(covered.max_lat),
    }
    # The classic mistake: the numbers the wrong way round. Inside Sweden that lands
    # off Somalia.
    swapped = covered.contains_bbox(BBox(box.min_lat, box.min_lon, box.max_lat, box.max_lon))
    if point and swapped:
        message = _(
            "This place is outside the area the service covers (latitude %(min_lat)s to "
            "%(max_lat)s, longitude %(min_lon)s to %(max_lon)s). The latitude and the "
            "longitude look swapped: in Sweden the latitude is the larger number."
        )
    elif point:
        message = _(
            "This place is outside the area the service covers (latitude %(min_lat)s to "
            "%(max_lat)s, longitude %(min_lon)s to %(max_lon)s)."
        )
    elif swapped:
        # A boundary file does give longitude first (RFC 7946), unlike how people say it.
        message = _(
            "The boundary is outside the area the service covers (latitude %(min_lat)s to "
            "%(max_lat)s, longitude %(min_lon)s to %(max_lon)s). Its latitudes and "
            "longitudes look swapped: a boundary gives each point as longitude, latitude."
        )
    else:
        message = _(
            "The boundary is outside the area the service covers (latitude %(min_lat)s to "
            "%(max_lat)s, longitude %(min_lon)s to %(max_lon)s)."
        )
    raise GeometryError(message, code="outside_region", params=params)


def _degrees(value: float) -> str:
    """Degrees in the active language: "10,5" in Swedish, "55" rather than "55.0"."""
    return formats.number_format(int(value) if value.is_integer() else value)
