"""Coordinates in the observation list say which number is which, so Swedish decimal
commas cannot run two numbers together ("58,71727, 13,83449" reads as four)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from watch.community.models import Observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def observation(municipality, area):
    return Observation.objects.create(
        municipality=municipality,
        area=area,
        category="graffiti",
        observed_at=timezone.now() - timedelta(hours=1),
        latitude=58.717272,
        longitude=13.834491,
        description="Tags on the bus shelter",
    )


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("en", r"58\.71727°&nbsp;N, 13\.83449°&nbsp;E"),
        # The letter for east is the catalogue's (Ö in Swedish); the numbers are Swedish now.
        ("sv", r"58,71727°&nbsp;N, 13,83449°&nbsp;[EÖ]"),
    ],
)
def test_the_list_writes_north_and_east(coordinator, observation, language, written):
    coordinator.language = language
    coordinator.save(update_fields=["language"])

    html = client_for(coordinator).get(reverse("watch:observation_list")).content.decode()

    assert re.search(written, html)
