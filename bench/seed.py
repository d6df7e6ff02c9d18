"""Bulk test data for the benchmarks: thousands of rows in a few statements.

Rows are built in memory and written with ``bulk_create``, which skips ``save()``;
so each watch area's bounding box, which ``WatchArea.save()`` would fill in, is
computed here through ``watch.areas.geometry`` as well.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.contrib.auth.hashers import make_password
from django.db import connection
from shapely.geometry import Polygon

from accounts.models import User
from notifications.alerts.models import Kind
from notifications.preferences.models import MemberSettings, Preference
from watch.areas import selectors as area_selectors
from watch.areas.geometry import shapes
from watch.areas.models import AreaStatus, Municipality, WatchArea
from watch.households.models import Household, HouseholdMember, Membership, MembershipStatus

BATCH = 5000
# A grid of cells south-west of Mariestad; each area is an irregular polygon
# inside its own cell, so no two areas overlap and some points fall between them.
ORIGIN = (13.60, 58.40)
CELL = (0.006, 0.004)  # degrees: about 350 m x 450 m at this latitude
AREA_VERTICES = 16
MEMBERS_PER_HOUSEHOLD = 2


def analyze() -> None:
    """Refresh PostgreSQL's planner statistics after a bulk load.

    Autovacuum would do it within a minute or so; a benchmark that queries right
    after inserting 100,000 rows would otherwise be measuring plans made for
    empty tables (a chunk of dispatch took 0.5 s instead of 4 ms).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def municipality(code: str = "9901", name: str = "Bänkeby") -> Municipality:
    found, _created = Municipality.objects.get_or_create(
        code=code, defaults={"name": name, "slug": f"bench-{code}"}
    )
    return found


def cell_polygon(index: int, columns: int, rng: random.Random) -> Polygon:
    """An irregular polygon inside grid cell ``index``, clear of its neighbours."""
    column, row = index % columns, index // columns
    width, height = CELL
    cx = ORIGIN[0] + (column + 0.5) * width
    cy = ORIGIN[1] + (row + 0.5) * height
    angles = np.linspace(0, 2 * math.pi, AREA_VERTICES, endpoint=False)
    # Radii between 35 % and 48 % of the cell: a star-shaped ring, never self-intersecting.
    radii = np.array([rng.uniform(0.35, 0.48) for _ in angles])
    return Polygon(
        np.column_stack((cx + radii * width * np.cos(angles), cy + radii * height * np.sin(angles)))
    )


def areas(
    owner: Municipality, count: int, *, prefix: str = "Område", seed: int = 1
) -> list[WatchArea]:
    """``count`` active, non-overlapping areas on a square grid."""
    rng = random.Random(seed)  # noqa: S311 - test data
    columns = math.ceil(math.sqrt(count))
    rows = []
    for index in range(count):
        boundary = shapes.to_geojson(cell_polygon(index, columns, rng))
        # From the stored (rounded) boundary, as WatchArea.save() computes it.
        box = shapes.bbox_of(shapes.load_trusted(boundary))
        rows.append(
            WatchArea(
                municipality=owner,
                name=f"{prefix} {index + 1}",
                status=AreaStatus.ACTIVE,
                boundary=boundary,
                min_lon=box.min_lon,
                min_lat=box.min_lat,
                max_lon=box.max_lon,
                max_lat=box.max_lat,
            )
        )
    created = WatchArea.objects.bulk_create(rows, batch_size=BATCH)
    area_selectors.areas_changed()  # bulk_create sends no post_save
    return created


def mobile(index: int) -> str:
    """A Swedish mobile number (E.164) from the range PTS keeps for fiction, 070-174 06 05
    to 99: members share them in turn, since nothing here needs them distinct."""
    return f"+46701740{605 + index % 95}"


@dataclass(frozen=True)
class Members:
    user_ids: list[int]
    sms_user_ids: list[int]


def members(
    targets: Sequence[WatchArea],
    count: int,
    *,
    sms_every: int = 10,
    kind: str = Kind.POLICE_ALERT,
    prefix: str = "bench",
) -> Members:
    """``count`` approved members, two per household, spread over ``targets``.

    Every member has an e-mail address and the default channels (e-mail and
    in-app); every ``sms_every``-th also has a verified mobile number and SMS
    chosen for ``kind``, with quiet hours off.
    """
    households = Household.objects.bulk_create(
        [
            Household(
                street_address=f"Bänkgatan {index + 1}",
                postal_code="542 30",
                town="Mariestad",
                longitude=(area.min_lon + area.max_lon) / 2,
                latitude=(area.min_lat + area.max_lat) / 2,
            )
            for index in range(math.ceil(count / MEMBERS_PER_HOUSEHOLD))
            for area in [targets[index % len(targets)]]
        ],
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                household=household,
                area=targets[index % len(targets)],
                status=MembershipStatus.APPROVED,
            )
            for index, household in enumerate(households)
        ],
        batch_size=BATCH,
    )
    wants_sms = [index % sms_every == 0 for index in range(count)]
    # They cannot log in with a password; they only receive alerts.
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                email=f"{prefix}-{index}@example.org",
                full_name=f"Medlem {index}",
                password=unusable,
                language="sv" if index % 4 else "en",
                phone=mobile(index) if wants_sms[index] else "",
            )
            for index in range(count)
        ],
        batch_size=BATCH,
    )
    HouseholdMember.objects.bulk_create(
        [
            HouseholdMember(user=user, household=households[index // MEMBERS_PER_HOUSEHOLD])
            for index, user in enumerate(users)
        ],
        batch_size=BATCH,
    )
    texting = [user for index, user in enumerate(users) if wants_sms[index]]
    MemberSettings.objects.bulk_create(
        [
            MemberSettings(user=user, verified_phone=user.phone, quiet_hours_enabled=False)
            for user in texting
        ],
        batch_size=BATCH,
    )
    Preference.objects.bulk_create(
        [Preference(user=user, kind=kind, email=True, sms=True, inapp=True) for user in texting],
        batch_size=BATCH,
    )
    return Members([user.pk for user in users], [user.pk for user in texting])
