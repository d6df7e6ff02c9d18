"""Who may manage an area is said twice: ``manageable_areas``, the filter lists use, and
``can_manage_area``, the check a management page makes of the area it read by its key
(``watch.shortcuts.managed_area_or_404``). They must agree for everyone."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.matrix import ROLES
from watch import permissions
from watch.areas.models import WatchArea

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", sorted(ROLES))
def test_the_filter_and_the_check_agree(request, role, area, area_b, area_c):
    fixture = ROLES[role]
    user = AnonymousUser() if fixture is None else request.getfixturevalue(fixture)

    listed = set(WatchArea.objects.filter(permissions.manageable_areas(user)))
    checked = {a for a in (area, area_b, area_c) if permissions.can_manage_area(user, a)}

    assert listed == checked
