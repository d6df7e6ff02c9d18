"""Reports that answer back: a report moves received → being handled → handled, or to
the police with the reason; each change can carry a message, its reporter is told by
their channels (by default e-mail and the inbox) and sees the history on "My reports".
Before sending, a member is shown reports of the same kind within 50 m in the last week
and may add theirs to one; handlers merge
duplicates, and the reporters of a merged report hear what the other's reporter hears."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.conftest import client_for
from tests.factories import centre, member_of, observation_in
from watch.audit.models import AuditEntry
from watch.community.models import Observation, ObservationUpdate
from watch.community.observations import metres_between

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def report_data(area, *, east_metres: float = 0, **overrides) -> dict:
    """The factory's report, ``east_metres`` from the middle of ``area``."""
    lon, lat = centre(area)
    lon += east_metres / metres_between(0, lat, 1, lat)
    return factories.report_data(
        area, longitude=f"{lon:.6f}", description="Tags på elskåpet", **overrides
    )


def sent_to(user) -> list[str]:
    return [message.body for message in mail.outbox if message.to == [user.email]]


def test_each_change_reaches_the_reporter_with_the_handlers_message(
    area, area_member, coordinator, django_capture_on_commit_callbacks
):
    report = observation_in(area, reporter=area_member)
    url = reverse("watch:observation_status", args=[report.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator).post(
            url, {"status": "handling", "message": "Tekniska kontoret är på väg."}
        )
        client_for(coordinator).post(url, {"status": "handled", "message": "Sanerat i dag."})

    report.refresh_from_db()
    assert (report.status, report.handled_by) == ("handled", coordinator)
    assert [(u.status, u.message) for u in report.updates.all()] == [
        ("handling", "Tekniska kontoret är på väg."),
        ("handled", "Sanerat i dag."),
    ]
    mails = sent_to(area_member)
    assert len(mails) == 2
    assert f"Your report No. {report.pk} is being handled." in mails[0]
    assert "Tekniska kontoret är på väg." in mails[0]
    assert "Sanerat i dag." in mails[1]
    page = client_for(area_member).get(reverse("watch:my_observations")).content.decode()
    assert "Tekniska kontoret är på väg." in page
    assert "Sanerat i dag." in page
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == [
        "observation_updated",
        "observation_handled",
    ]


def test_passed_to_the_police_needs_the_reason_and_reminds_of_114_14(
    area, area_member, area_contact, django_capture_on_commit_callbacks
):
    report = observation_in(area, reporter=area_member, category="suspicious")
    url = reverse("watch:observation_status", args=[report.pk])

    refused = client_for(area_contact).post(url, {"status": "police", "message": "  "})
    with django_capture_on_commit_callbacks(execute=True):
        client_for(area_contact).post(url, {"status": "police", "message": "Gäller flera bilar."})

    assert "Say why it goes to the police." in refused.content.decode()
    report.refresh_from_db()
    assert report.status == "police"
    [body] = sent_to(area_member)
    assert "has been passed to the police" in body
    assert "114 14" in body


def test_a_closed_report_stays_closed(area, area_member, coordinator):
    report = observation_in(area, reporter=area_member, status="handled", handled_at=timezone.now())

    response = client_for(coordinator).post(
        reverse("watch:observation_status", args=[report.pk]), {"status": "handling"}
    )

    assert response.status_code == 200
    assert "This report has already been closed." in response.content.decode()
    assert not ObservationUpdate.objects.exists()


def test_a_member_is_shown_reports_nearby_before_sending_and_adds_theirs(
    area, area_member, coordinator, django_capture_on_commit_callbacks
):
    earlier = observation_in(area, reporter=member_of(area), status="handling")
    neighbour = area_member
    client = client_for(neighbour)

    first = client.post(reverse("watch:observation_report"), report_data(area, east_metres=30))

    assert first.status_code == 200
    assert "Is it one of these?" in first.content.decode()
    assert [o.pk for o in first.context["nearby"]] == [earlier.pk]
    assert Observation.objects.count() == 1  # nothing sent yet

    added = client.post(
        reverse("watch:observation_report"),
        report_data(area, east_metres=30, same_as=str(earlier.pk)),
    )
    assert added.status_code == 302
    mine = Observation.objects.get(reporter=neighbour)
    assert (mine.merged_into, mine.status) == (earlier, "handling")

    # What happens to the earlier one now reaches both reporters.
    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator).post(
            reverse("watch:observation_status", args=[earlier.pk]),
            {"status": "handled", "message": "Borttaget."},
        )
    mine.refresh_from_db()
    assert mine.status == "handled"
    assert "Borttaget." in sent_to(neighbour)[-1]
    page = client.get(reverse("watch:my_observations")).content.decode()
    assert f"added to report No. {earlier.pk}" in page
    assert "Borttaget." in page


def test_only_the_same_kind_within_50_m_in_the_last_week_is_shown(area, area_member):
    observation_in(area, category="vandalism")
    observation_in(area, created_at=timezone.now() - timedelta(days=8))

    far = client_for(area_member).post(
        reverse("watch:observation_report"), report_data(area, east_metres=-80)
    )
    near = observation_in(area)
    close = client_for(area_member).post(
        reverse("watch:observation_report"), report_data(area, east_metres=45)
    )

    assert far.status_code == 302  # nothing near: sent at once
    assert [o.pk for o in close.context["nearby"]] == [near.pk]


def test_sending_as_a_new_report_anyway(area, area_member):
    observation_in(area)

    response = client_for(area_member).post(
        reverse("watch:observation_report"), report_data(area, new_report="1")
    )

    assert response.status_code == 302
    assert Observation.objects.get(reporter=area_member).merged_into is None


@pytest.mark.parametrize("same_as", ["999999", "abc", "-1", "1" * 30])
def test_adding_to_a_report_that_is_not_an_open_one_nearby_is_refused(area, area_member, same_as):
    observation_in(area, status="handled", handled_at=timezone.now())
    before = Observation.objects.count()

    response = client_for(area_member).post(
        reverse("watch:observation_report"), report_data(area, same_as=same_as)
    )

    assert response.status_code == 200
    assert "That report is not an open one near here." in response.content.decode()
    assert Observation.objects.count() == before


def test_a_handler_merges_a_duplicate_and_its_reporter_is_told(
    area, area_member, area_contact, django_capture_on_commit_callbacks
):
    original = observation_in(area)
    duplicate = observation_in(area, reporter=area_member)

    page = client_for(area_contact).get(reverse("watch:observation_detail", args=[duplicate.pk]))
    assert "The same as another report?" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(area_contact).post(
            reverse("watch:observation_merge", args=[duplicate.pk]), {"into": original.pk}
        )

    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == original
    [body] = sent_to(area_member)
    assert f"same thing as report No. {original.pk}" in body
    assert AuditEntry.objects.get().action == "observation_merged"
    # Changed through the report it follows, not on its own.
    refused = client_for(area_contact).post(
        reverse("watch:observation_status", args=[duplicate.pk]), {"status": "handled"}
    )
    assert "merged into another" in refused.content.decode()


def test_a_report_far_away_cannot_be_merged_into(area, area_b, area_contact, coordinator):
    here = observation_in(area)
    elsewhere = observation_in(area_b)

    response = client_for(coordinator).post(
        reverse("watch:observation_merge", args=[here.pk]), {"into": elsewhere.pk}
    )

    assert response.status_code == 200
    here.refresh_from_db()
    assert here.merged_into is None
    assert not AuditEntry.objects.exists()


def test_my_reports_are_mine_alone(area, area_member, django_assert_max_num_queries):
    observation_in(area, reporter=area_member, description="Mitt klotter")
    observation_in(area, reporter=member_of(area), description="Någon annans klotter")
    client = client_for(area_member)
    client.get(reverse("watch:my_observations"))

    with django_assert_max_num_queries(8):
        page = client.get(reverse("watch:my_observations")).content.decode()

    assert "Mitt klotter" in page
    assert "Någon annans klotter" not in page
