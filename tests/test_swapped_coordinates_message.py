"""The message for a place outside the region speaks plainly, and writes its numbers as
the page's language does ("10,5" in Swedish); it tells of swapped coordinates."""

from __future__ import annotations

import pytest
from django.utils import translation

from watch.areas.geometry.parsing import parse_boundary, parse_point
from watch.areas.geometry.shapes import GeometryError

LON, LAT = 13.8344, 58.7172
SQUARE = [[LON, LAT], [LON + 0.01, LAT], [LON + 0.01, LAT + 0.01], [LON, LAT + 0.01], [LON, LAT]]


def refusal(parse, *args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(GeometryError) as info:
        parse(*args)
    assert info.value.code == "outside_region"
    return " ".join(info.value.messages)


def test_a_swapped_place_is_explained_without_jargon():
    message = refusal(parse_point, LAT, LON)

    assert message == (
        "This place is outside the area the service covers (latitude 55 to 69.5, longitude "
        "10.5 to 24.5). The latitude and the longitude look swapped: in Sweden the latitude "
        "is the larger number."
    )


def test_a_place_abroad_gets_no_swap_hint():
    message = refusal(parse_point, 2.35, 48.85)

    assert message == (
        "This place is outside the area the service covers (latitude 55 to 69.5, longitude "
        "10.5 to 24.5)."
    )


def test_a_swapped_boundary_says_which_order_a_boundary_takes():
    message = refusal(
        parse_boundary, {"type": "Polygon", "coordinates": [[[y, x] for x, y in SQUARE]]}
    )

    assert "look swapped: a boundary gives each point as longitude, latitude." in message
    assert "GeoJSON" not in message


def test_swedish_pages_write_the_numbers_with_decimal_commas():
    with translation.override("sv"):
        message = refusal(parse_point, LAT, LON)

    # The numbers follow the language whether or not the catalogue has the sentence yet.
    assert "69,5" in message
    assert "10,5" in message
    assert "69.5" not in message
