"""Reading Krisinformation.se's news (``https://api.krisinformation.se/v3/news``).

Followed: Krisinformation's open-data page (krisinformation.se, *Om Krisinformation →
Öppen data*), checked against three independent clients of the same API (a Python
library, a Home Assistant integration and a MagicMirror module), which agree on the
shape: a JSON array of items with ``Identifier``, ``Headline``, ``Preamble``,
``BodyText``, ``Published``, ``Updated``, ``Web`` and ``Area`` — a list of
``{"Type": "County" | "Municipality" | "Country", "Description": name}``. An item
whose shape differs is skipped and logged; the rest of the answer counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from official.reading import UnreadableAnswer, each_once, json_answer, text

MOST_ITEMS = 500
SWEDEN = ZoneInfo("Europe/Stockholm")


@dataclass(frozen=True)
class Item:
    identifier: str
    headline: str
    preamble: str
    web: str
    published_at: datetime
    updated_at: datetime
    # (type, description) of each area it concerns: ("County", "Västra Götalands län").
    areas: tuple[tuple[str, str], ...]


def read(body: bytes) -> list[Item]:
    answer = json_answer(body)
    if not isinstance(answer, list):
        raise UnreadableAnswer(f"not a list but {type(answer).__name__}")
    return each_once(
        answer, _item, lambda item: item.identifier, most=MOST_ITEMS, what="Krisinformation"
    )


def _item(raw: Any) -> Item:
    identifier = raw["Identifier"]
    if not isinstance(identifier, str | int) or isinstance(identifier, bool):
        raise TypeError("Identifier")
    areas = raw.get("Area") or []
    if not isinstance(areas, list):
        raise TypeError("Area")
    web = text(raw, "Web", 500, required=False)
    return Item(
        identifier=str(identifier)[:200],
        headline=text(raw, "Headline", 300),
        preamble=text(raw, "Preamble", 2000, required=False),
        web=web if web.startswith(("https://", "http://")) else "",
        published_at=_time(text(raw, "Published", 40)),
        updated_at=_time(text(raw, "Updated", 40, required=False) or text(raw, "Published", 40)),
        areas=tuple(
            (str(area["Type"]), str(area["Description"]))
            for area in areas
            if isinstance(area, dict) and "Type" in area and "Description" in area
        ),
    )


def _time(value: str) -> datetime:
    """ISO 8601; a time without an offset is Swedish time, where the publisher is."""
    moment = datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SWEDEN)
    return moment
