"""Times residents and area contacts read are written as their inbox writes them ("5
December, 17:20", watch.dates.message_datetime): the same join request read "den 5
december" on the start page and "2026-12-05 17:20" on the area's page, the same alert
"5 december, 16:24" in the inbox and ISO times on the municipality's page and the letters
to deliver. Officials' lists keep ISO times."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import HouseholdFactory, UserFactory, observation_in, sent_public_alert
from watch import dates
from watch.households.models import Membership, MembershipStatus

pytestmark = pytest.mark.django_db


def iso(moment) -> str:  # type: ignore[no-untyped-def]
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def test_a_join_request_on_the_areas_page(area, area_contact):
    request = Membership.objects.create(
        household=HouseholdFactory.inside(area),
        area=area,
        status=MembershipStatus.REQUESTED,
        requested_by=UserFactory(),
    )

    page = client_for(area_contact).get(reverse("watch:manage_area", args=[area.pk]))

    html = page.content.decode()
    assert dates.message_datetime(request.requested_at) in html
    assert iso(request.requested_at) not in html


def test_a_public_alert_on_the_municipalitys_page(client, police, area):
    alert = sent_public_alert(police, area, title="Inbrott i villor")

    html = client.get(reverse("watch:municipality", args=[area.municipality.slug])).content.decode()

    assert dates.message_datetime(alert.dispatched_at) in html
    assert iso(alert.dispatched_at) not in html


def test_a_members_own_report(area, area_member):
    report = observation_in(area, reporter=area_member)
    seen = timezone.now() - timedelta(days=400)  # another year: the year is said
    type(report).objects.filter(pk=report.pk).update(observed_at=seen)

    html = client_for(area_member).get(reverse("watch:my_observations")).content.decode()

    assert dates.message_datetime(seen) in html
    assert str(timezone.localtime(seen).year) in dates.message_datetime(seen)
    assert iso(seen) not in html
