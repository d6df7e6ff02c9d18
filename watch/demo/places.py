"""Where the demo happens: towns, their street grids, the watch areas drawn on them, and
points and addresses inside them.

Each town has a grid of blocks (about 240 by 170 metres) turned to the angle of its
streets, its corners nudged a little, so areas look drawn along streets rather than like
squares. An area is a few neighbouring blocks; blocks never overlap, so neither do the
areas of a town. Everything comes from seeded generators: the same demo on every machine.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import Point, Polygon

from watch.areas.geometry import shapes
from watch.areas.models import AreaStatus
from watch.demo.content import STREET_KINDS, STREET_WORDS

BLOCK_METRES = (240.0, 170.0)
# How far a grid corner may move, in metres, so that no two areas line up like tiles.
NUDGE_METRES = 22.0


@dataclass(frozen=True)
class DemoArea:
    name: str
    status: str
    blocks: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Town:
    municipality: str  # slug
    name: str
    postal_code: str
    centre: tuple[float, float]  # lon, lat of the grid's corner (0, 0)
    angle: float  # degrees: the streets' direction
    areas: tuple[DemoArea, ...]


A, P, S, C = AreaStatus.ACTIVE, AreaStatus.PROPOSED, AreaStatus.PAUSED, AreaStatus.CLOSED
TOWNS = (
    Town(
        "mariestad",
        "Mariestad",
        "542 31",
        (13.8205, 58.7050),
        14.0,
        (
            DemoArea("Marieholm", A, ((0, 0), (1, 0), (0, 1), (1, 1))),
            DemoArea("Ekudden", A, ((2, 0), (3, 0), (2, 1))),
            DemoArea("Sjölunda", A, ((3, 1), (4, 1), (4, 0))),
            DemoArea("Haggården", A, ((5, 0), (6, 0), (5, 1), (6, 1))),
            DemoArea("Västerbo", A, ((7, 0), (8, 0), (7, 1))),
            DemoArea("Kronoparken", A, ((8, 1), (9, 1), (9, 0))),
            DemoArea("Snapen", A, ((0, 2), (1, 2), (0, 3))),
            DemoArea("Leksberg", A, ((2, 2), (3, 2), (2, 3), (3, 3))),
            DemoArea("Sandviken", A, ((4, 2), (5, 2), (4, 3))),
            DemoArea("Strandgärdet", A, ((5, 3), (6, 3), (6, 2))),
            DemoArea("Johannesberg", A, ((7, 2), (8, 2), (7, 3))),
            DemoArea("Björkäng", A, ((8, 3), (9, 3), (9, 2))),
            DemoArea("Hindsberg", P, ((1, 3), (1, 4), (0, 4))),
            DemoArea("Tidavad", P, ((2, 4), (3, 4))),
            DemoArea("Gamla stan", S, ((4, 4), (5, 4), (4, 5))),
            DemoArea("Lindängen", C, ((6, 4), (7, 4), (6, 5))),
            DemoArea("Katrinefors", A, ((8, 4), (9, 4), (9, 5))),
            DemoArea("Ribbingsberg", A, ((0, 5), (1, 5), (1, 6))),
        ),
    ),
    Town(
        "toreboda",
        "Töreboda",
        "545 31",
        (14.1180, 58.7020),
        -9.0,
        (
            DemoArea("Centrum", A, ((0, 0), (1, 0), (0, 1))),
            DemoArea("Bulsjön", A, ((2, 0), (3, 0), (2, 1))),
            DemoArea("Skogsbo", A, ((1, 1), (1, 2), (0, 2))),
            DemoArea("Kanalbyn", A, ((3, 1), (4, 1), (4, 0))),
            DemoArea("Lindbacka", A, ((5, 0), (5, 1))),
            DemoArea("Fredsberg", A, ((2, 2), (3, 2))),
            DemoArea("Björkhagen", P, ((4, 2), (5, 2))),
            DemoArea("Solbacken", S, ((6, 0), (6, 1))),
            DemoArea("Ekebo", A, ((0, 3), (1, 3))),
        ),
    ),
    Town(
        "gullspang",
        "Gullspång",
        "548 31",
        (14.0900, 58.9840),
        22.0,
        (
            DemoArea("Gullspångs centrum", A, ((0, 0), (1, 0))),
            DemoArea("Otterbäcken", A, ((0, 1), (1, 1))),
            DemoArea("Skagersvik", P, ((2, 0), (2, 1))),
            DemoArea("Gullstorp", A, ((0, 2), (1, 2))),
        ),
    ),
    Town(
        "gullspang",
        "Hova",
        "548 32",
        (14.2080, 58.8530),
        -4.0,
        (
            DemoArea("Hova centrum", A, ((0, 0), (1, 0), (0, 1))),
            DemoArea("Sotebo", A, ((1, 1), (2, 1))),
            DemoArea("Ängsbacken", C, ((2, 0),)),
        ),
    ),
)

# The municipalities' borders, drawn by hand round the demo's towns: a rough likeness for
# maps without tiles, not the real borders (load those: load_municipality_boundaries).
_WEST, _JUNCTION, _EAST = (13.98, 58.88), (14.12, 58.83), (14.38, 58.82)
MUNICIPALITY_OUTLINES = {
    "mariestad": [
        (13.62, 58.60), (13.95, 58.55), (14.05, 58.62), (14.02, 58.78),
        _JUNCTION, _WEST, (13.80, 58.86), (13.68, 58.76),
    ],
    "toreboda": [
        (14.05, 58.62), (14.32, 58.58), (14.45, 58.70), _EAST, _JUNCTION, (14.02, 58.78),
    ],
    "gullspang": [
        _WEST, _JUNCTION, _EAST, (14.42, 58.98), (14.30, 59.10), (14.05, 59.08), (13.95, 58.98),
    ],
}  # fmt: skip


def outline(slug: str) -> dict[str, Any]:
    ring = [list(point) for point in MUNICIPALITY_OUTLINES[slug]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


# Villages where households wait for an area of their own: (municipality, name, postal
# code, lon, lat).
INTEREST_CLUSTERS = (
    ("mariestad", "Lyrestad", "542 94", 14.0650, 58.8060),
    ("toreboda", "Älgarås", "545 93", 14.2380, 58.8220),
)


def _metres_per_degree(lat: float) -> tuple[float, float]:
    return 111_320.0 * math.cos(math.radians(lat)), 110_574.0


def _node(town: Town, column: int, row: int) -> tuple[float, float]:
    """Grid corner (column, row) of ``town`` as lon, lat, nudged the same way every time."""
    nudge = random.Random(f"{town.name}:{column}:{row}")  # noqa: S311 - demo data
    x = column * BLOCK_METRES[0] + nudge.uniform(-NUDGE_METRES, NUDGE_METRES)
    y = row * BLOCK_METRES[1] + nudge.uniform(-NUDGE_METRES, NUDGE_METRES)
    turn = math.radians(town.angle)
    east = x * math.cos(turn) - y * math.sin(turn)
    north = x * math.sin(turn) + y * math.cos(turn)
    per_lon, per_lat = _metres_per_degree(town.centre[1])
    return town.centre[0] + east / per_lon, town.centre[1] + north / per_lat


def boundary(town: Town, area: DemoArea) -> dict[str, Any]:
    """The area's outline: its blocks joined, as GeoJSON."""
    blocks = [
        Polygon(
            [
                _node(town, column, row),
                _node(town, column + 1, row),
                _node(town, column + 1, row + 1),
                _node(town, column, row + 1),
            ]
        )
        for column, row in area.blocks
    ]
    return shapes.to_geojson(shapely.unary_union(blocks))


def points_inside(shape: Polygon, count: int, rng: random.Random) -> list[tuple[float, float]]:
    """``count`` points well inside ``shape`` (clear of its edges, where areas meet)."""
    per_lon, _per_lat = _metres_per_degree(shape.centroid.y)
    inner = shape.buffer(-25.0 / per_lon)
    min_lon, min_lat, max_lon, max_lat = inner.bounds
    found: list[tuple[float, float]] = []
    while len(found) < count:
        lon, lat = rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)
        if inner.contains(Point(lon, lat)):
            found.append((round(lon, 6), round(lat, 6)))
    return found


def near(lon: float, lat: float, metres: float, rng: random.Random) -> tuple[float, float]:
    per_lon, per_lat = _metres_per_degree(lat)
    return (
        round(lon + rng.uniform(-metres, metres) / per_lon, 6),
        round(lat + rng.uniform(-metres, metres) / per_lat, 6),
    )


def streets(place: str) -> list[str]:
    """Two street names of a place, the same every time."""
    rng = random.Random(f"streets:{place}")  # noqa: S311 - demo data
    return [f"{rng.choice(STREET_WORDS)}{rng.choice(STREET_KINDS)}" for _ in range(2)]
