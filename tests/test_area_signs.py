"""The area's signs: placed on the map by its managers, reported on by its members, and
the coordinators reminded of active areas without any."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import member_of
from watch.areas.models import AreaStatus, WatchArea
from watch.households.models import Membership
from watch.signs import services
from watch.signs.models import Sign, SignCondition, SignReport

pytestmark = pytest.mark.django_db


def middle(area: WatchArea) -> dict[str, str]:
    return {
        "latitude": str((area.min_lat + area.max_lat) / 2),
        "longitude": str((area.min_lon + area.max_lon) / 2),
    }


@pytest.fixture
def sign(area) -> Sign:
    point = middle(area)
    return Sign.objects.create(
        area=area,
        latitude=float(point["latitude"]),
        longitude=float(point["longitude"]),
        place="Ekvägen/Lindvägen",
    )


def test_a_contact_places_a_sign_on_the_map(area_contact, area):
    client = client_for(area_contact)
    url = reverse("watch:area_signs", args=[area.pk])

    response = client.post(
        url, {**middle(area), "place": "Ekvägen", "put_up_on": "2026-05-01", "condition": "good"}
    )

    assert response.status_code == 302
    sign = Sign.objects.get()
    assert (sign.area, sign.place, str(sign.put_up_on)) == (area, "Ekvägen", "2026-05-01")
    assert "Ekvägen" in client.get(url).content.decode()


def test_a_sign_far_from_the_area_is_refused(area_contact, area):
    response = client_for(area_contact).post(
        reverse("watch:area_signs", args=[area.pk]),
        {"latitude": "59.3", "longitude": "18.0", "condition": "good"},
    )

    assert response.status_code == 200
    assert "where a road enters it" in response.content.decode()
    assert not Sign.objects.exists()


def test_a_contact_changes_and_removes_a_sign(area_contact, sign, area):
    client = client_for(area_contact)

    client.post(
        reverse("watch:sign_edit", args=[sign.pk]),
        {**middle(area), "place": "Ekvägen", "condition": "worn"},
    )
    sign.refresh_from_db()
    assert (sign.place, sign.condition) == ("Ekvägen", SignCondition.WORN)

    client.post(reverse("watch:sign_remove", args=[sign.pk]))
    assert not Sign.objects.exists()


def test_a_member_reports_a_missing_sign_and_the_contacts_are_told(
    area_member, area_contact, sign, django_capture_on_commit_callbacks
):
    client = client_for(area_member)
    area_page = client.get(sign.area.get_absolute_url()).content.decode()
    assert reverse("watch:sign_report", args=[sign.pk]) in area_page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("watch:sign_report", args=[sign.pk]),
            {"condition": "missing", "note": "Borta sedan stormen"},
        )

    assert response.status_code == 302
    sign.refresh_from_db()
    assert sign.condition == SignCondition.MISSING
    report = SignReport.objects.get()
    assert (report.reported_by, report.note) == (area_member, "Borta sedan stormen")
    [told] = mail.outbox
    assert told.to == [area_contact.email]
    assert "Ekvägen/Lindvägen" in told.body
    assert "Borta sedan stormen" in told.body


def test_a_worn_sign_is_recorded_without_mail(
    area_member, area_contact, sign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(area_member).post(
            reverse("watch:sign_report", args=[sign.pk]), {"condition": "worn", "note": ""}
        )

    assert SignReport.objects.count() == 1
    assert mail.outbox == []


def test_someone_outside_the_area_cannot_report(area_c, sign):
    outsider = member_of(area_c)

    response = client_for(outsider).post(
        reverse("watch:sign_report", args=[sign.pk]), {"condition": "missing"}
    )

    assert response.status_code == 404
    assert not SignReport.objects.exists()
    assert Sign.objects.get().condition == SignCondition.GOOD


def test_the_coordinator_sees_and_is_told_of_active_areas_without_signs(
    coordinator, area, area_b, sign, django_capture_on_commit_callbacks
):
    WatchArea.objects.filter(pk=area_b.pk).update(status=AreaStatus.ACTIVE)

    page = client_for(coordinator).get(reverse("watch:home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_coordinators() == 1

    assert "Active areas without signs" in page
    assert reverse("watch:area_signs", args=[area_b.pk]) in page
    assert reverse("watch:area_signs", args=[area.pk]) not in page
    [reminder] = mail.outbox
    assert reminder.to == [coordinator.email]
    assert "- Ekudden" in reminder.body


def test_a_contact_records_the_decals_each_household_got(area_contact, area_member, area):
    client = client_for(area_contact)
    mine = Membership.objects.get(household__members__user=area_member)
    contacts = Membership.objects.get(household__members__user=area_contact)

    page = client.get(reverse("watch:area_signs", args=[area.pk])).content.decode()
    response = client.post(
        reverse("watch:area_decals", args=[area.pk]),
        {f"decals-{mine.pk}": "2", f"decals-{contacts.pk}": "0"},
    )

    # In the page's content, as a field of the decals form (not merely in the page).
    main = page.split("<main", 1)[1]
    assert f'name="decals-{mine.pk}"' in main
    assert f'<label for="id_decals-{mine.pk}">{mine.household}</label>' in main
    assert "<title>" in page.split("<main", 1)[0]
    assert "decals" not in page.split("</title>")[0]
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.decals == 2


@pytest.mark.parametrize("value", ["-1", "21", "två", "", "1e9"])
def test_a_bad_number_of_decals_changes_nothing(area_contact, area_member, area, value):
    membership = Membership.objects.get(household__members__user=area_member)
    client = client_for(area_contact)

    response = client.post(
        reverse("watch:area_decals", args=[area.pk]), {f"decals-{membership.pk}": value}
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.decals == 0
    page = client.get(response.url).content.decode()
    assert "between 0 and 20 decals" in page


def test_decals_of_another_areas_household_are_ignored(area_contact, area, area_c):
    elsewhere = member_of(area_c)
    theirs = Membership.objects.get(household__members__user=elsewhere)

    services.set_decals(actor=area_contact, area=area, counts={theirs.pk: 5})

    theirs.refresh_from_db()
    assert theirs.decals == 0
