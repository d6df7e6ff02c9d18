"""A latitude and longitude typed or pasted into one field, as people copy them from map
apps. Only the form of the text is read here; ``parsing.parse_point`` checks the place."""

from __future__ import annotations

import re

from watch.areas.geometry.parsing import MAX_NUMBER_TEXT

# A number of degrees as people write them: a decimal point or a decimal comma.
_DEGREES = r"[-+]?\d{1,3}(?:[.,]\d+)?"
_ONE_NUMBER = re.compile(rf"\s*{_DEGREES}\s*", re.ASCII)
# Latitude then longitude, as map apps copy a place: "58.7172, 13.8344" (Google),
# "58.7172° N, 13.8344° E" (Apple), "58,7172 13,8344" (decimal commas, so no comma
# between them). The first number is the longest that fits, so "58,7172, 13,8344"
# reads as two numbers with decimal commas.
_PAIR = re.compile(
    rf"\s*({_DEGREES})\s*°?\s*N?\s*[,;]?\s*({_DEGREES})\s*°?\s*[EÖO]?\s*",
    re.ASCII | re.IGNORECASE,
)


def coordinate_pair(text: str) -> tuple[float, float] | None:
    """(latitude, longitude) from a pair typed or pasted into one field, else None.

    A single number is not a pair ("58,7172" is 58.7172 with a decimal comma), and
    nothing is checked but the form of the text: ``parse_point`` checks the place.
    """
    if len(text) > 2 * MAX_NUMBER_TEXT or _ONE_NUMBER.fullmatch(text):
        return None
    match = _PAIR.fullmatch(text)
    if match is None:
        return None
    latitude, longitude = (float(number.replace(",", ".")) for number in match.groups())
    return latitude, longitude
