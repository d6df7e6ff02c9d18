"""Locate: which active area covers a point, among 10,000.

The project's locate function, ``watch.areas.selectors.active_area_ids_at`` (an
in-memory STRtree of the active areas, rebuilt when the areas' version in the
cache changes), and ``areas_covering``, which adds the matching rows (one query
on a hit), against brute force: every area's shape, built once in memory
beforehand (which favours brute force: the real thing would have to load them),
tested one by one in a Python loop, and all at once in one vectorised shapely call.

For reference, the bounding-box SQL that other statuses still use is timed raw
(no ORM), against the two B-tree indexes the model has and against a GiST index
on the bounding box as a ``box`` — a candidate created only in the benchmark's
database for the measurement and dropped after.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

import numpy as np
import shapely
from django.db import connection

from bench import seed
from watch.areas.geometry import shapes
from watch.areas.models import WatchArea
from watch.areas.selectors import active_area_ids_at, areas_covering


@dataclass
class Result:
    areas: int
    points: int
    brute_points: int
    hits: int  # points inside some area (the rest fall between areas or outside)
    located_us: float  # active_area_ids_at: the index alone
    indexed_us: float  # areas_covering: the index and the rows
    loop_us: float
    vectorised_us: float
    raw_btree_us: float
    raw_gist_us: float
    disagreements: int


def random_points(area_count: int, count: int, rng: random.Random) -> list[tuple[float, float]]:
    """Uniform over the grid the areas were drawn on, so some points miss every area."""
    columns = math.ceil(math.sqrt(area_count))
    rows = math.ceil(area_count / columns)
    (lon0, lat0), (width, height) = seed.ORIGIN, seed.CELL
    return [
        (rng.uniform(lon0, lon0 + columns * width), rng.uniform(lat0, lat0 + rows * height))
        for _ in range(count)
    ]


RAW_BTREE = (
    "SELECT id, boundary FROM watch_watcharea WHERE status = 'active'"
    " AND min_lon <= %(lon)s AND max_lon >= %(lon)s AND min_lat <= %(lat)s AND max_lat >= %(lat)s"
)
RAW_GIST = (
    "SELECT id, boundary FROM watch_watcharea WHERE status = 'active'"
    " AND box(point(min_lon, min_lat), point(max_lon, max_lat))"
    " @> box(point(%(lon)s, %(lat)s), point(%(lon)s, %(lat)s))"
)
CREATE_GIST = (
    "CREATE INDEX bench_area_bbox_gist ON watch_watcharea"
    " USING gist (box(point(min_lon, min_lat), point(max_lon, max_lat)))"
)
DROP_GIST = "DROP INDEX bench_area_bbox_gist"


def _time_raw(sql: str, sample: list[tuple[float, float]]) -> tuple[float, list[set[int]]]:
    """Seconds for the SQL and the exact shapely test per point, without the ORM."""
    found = []
    with connection.cursor() as cursor:
        started = time.perf_counter()
        for lon, lat in sample:
            cursor.execute(sql, {"lon": lon, "lat": lat})
            found.append(set(shapes.locate_among(cursor.fetchall(), lon, lat)))
        return time.perf_counter() - started, found


def run(area_count: int = 10_000, points: int = 10_000, brute_points: int = 500) -> Result:
    seed.areas(seed.municipality(), area_count)
    seed.analyze()
    sample = random_points(area_count, points, random.Random(2))  # noqa: S311 - test data
    brute_sample = sample[:brute_points]
    for lon, lat in sample[:50]:  # connection, query plan and import warm-up
        areas_covering(lon, lat)

    started = time.perf_counter()
    located = [set(active_area_ids_at(lon, lat)) for lon, lat in sample]
    located_s = time.perf_counter() - started

    started = time.perf_counter()
    indexed = [{area.pk for area in areas_covering(lon, lat)} for lon, lat in sample]
    indexed_s = time.perf_counter() - started

    boundaries = [
        (pk, shapes.load_trusted(boundary))
        for pk, boundary in WatchArea.objects.active().values_list("pk", "boundary")
    ]
    started = time.perf_counter()
    looped = [
        {pk for pk, shape in boundaries if shapes.contains(shape, lon, lat)}
        for lon, lat in brute_sample
    ]
    loop_s = time.perf_counter() - started

    keys = np.array([pk for pk, _shape in boundaries])
    array = np.array([shape for _pk, shape in boundaries], dtype=object)
    started = time.perf_counter()
    vectorised = [
        set(keys[shapely.intersects_xy(array, lon, lat)].tolist()) for lon, lat in brute_sample
    ]
    vectorised_s = time.perf_counter() - started

    raw_btree_s, btree = _time_raw(RAW_BTREE, sample)
    with connection.cursor() as cursor:
        cursor.execute(CREATE_GIST)
        cursor.execute("ANALYZE watch_watcharea")
    try:
        raw_gist_s, gist = _time_raw(RAW_GIST, sample)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(DROP_GIST)

    disagreements = sum(
        1 for i in range(len(brute_sample)) if not indexed[i] == looped[i] == vectorised[i]
    ) + sum(1 for i in range(points) if not located[i] == indexed[i] == btree[i] == gist[i])
    return Result(
        areas=area_count,
        points=points,
        brute_points=len(brute_sample),
        hits=sum(1 for found in indexed if found),
        located_us=located_s / points * 1e6,
        indexed_us=indexed_s / points * 1e6,
        loop_us=loop_s / len(brute_sample) * 1e6,
        vectorised_us=vectorised_s / len(brute_sample) * 1e6,
        raw_btree_us=raw_btree_s / points * 1e6,
        raw_gist_us=raw_gist_s / points * 1e6,
        disagreements=disagreements,
    )
