"""Members report observations; contacts and coordinators see, handle and export them."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image

from tests.conftest import client_for
from tests.factories import (
    HouseholdFactory,
    UserFactory,
    WatchAreaFactory,
    centre,
    observation_in,
    report_data,
    resident,
)
from tests.photos import photo_bytes
from watch.areas.models import AreaStatus
from watch.audit.models import AuditEntry
from watch.community.models import Observation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """E-mails go out after the transaction commits."""
    return django_capture_on_commit_callbacks


# --- Reporting ---------------------------------------------------------------------------


def test_a_member_reports_and_the_contacts_and_coordinators_are_told(
    area_member, area_contact, coordinator, police, other_coordinator, area, commit
):
    with commit(execute=True):
        response = client_for(area_member).post(
            reverse("watch:observation_report"), report_data(area)
        )

    assert response.status_code == 302
    observation = Observation.objects.get()
    assert (observation.reporter, observation.area, observation.municipality) == (
        area_member,
        area,
        area.municipality,
    )
    assert observation.category == "graffiti"
    assert not observation.photo
    told = sorted(address for message in mail.outbox for address in message.to)
    assert told == sorted([area_contact.email, coordinator.email])
    assert "Tags on the bus shelter" not in mail.outbox[0].body  # the text stays on the site
    assert reverse("watch:observation_list") in mail.outbox[0].body


def test_the_form_says_where_emergencies_go(area_member):
    page = client_for(area_member).get(reverse("watch:observation_report")).content.decode()

    assert 'href="tel:112"' in page
    assert "114 14" in page
    assert "a crime is happening now" in page
    # The kind is the member's to choose: none is chosen for them.
    assert '<option value="" selected>Choose one</option>' in page
    assert 'data-map="pin"' in page


def test_a_point_in_another_active_area_goes_to_that_area(
    area_member, area_c, other_coordinator, commit
):
    with commit(execute=True):
        client_for(area_member).post(reverse("watch:observation_report"), report_data(area_c))

    observation = Observation.objects.get()
    assert (observation.area, observation.municipality) == (area_c, area_c.municipality)
    assert [m.to for m in mail.outbox] == [[other_coordinator.email]]


def test_a_point_in_a_proposed_area_names_its_municipality_only(area_member, other_municipality):
    proposed = WatchAreaFactory(municipality=other_municipality, status=AreaStatus.PROPOSED)

    client_for(area_member).post(reverse("watch:observation_report"), report_data(proposed))

    observation = Observation.objects.get()
    assert (observation.area, observation.municipality) == (None, other_municipality)


def test_a_point_outside_every_area_goes_to_the_reporters_municipality(
    area_member, area, coordinator, commit
):
    data = report_data(area, longitude="14.500000", latitude="59.500000")

    with commit(execute=True):
        client_for(area_member).post(reverse("watch:observation_report"), data)

    observation = Observation.objects.get()
    assert (observation.area, observation.municipality) == (None, area.municipality)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"observed_at": "2999-01-01T10:00"}, "observed_at"),
        ({"category": "burglary"}, "category"),
        # A place that is not right is told at its first field, the latitude.
        ({"longitude": "181", "latitude": "58.7"}, "latitude"),
        ({"longitude": "2.35", "latitude": "48.85"}, "latitude"),  # Paris: outside the region
        ({"description": "x" * 4001}, "description"),
        ({"description": ""}, "description"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(area_member, area, override, field):
    response = client_for(area_member).post(
        reverse("watch:observation_report"), report_data(area, **override)
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Observation.objects.exists()
    assert mail.outbox == []


def test_the_future_is_refused_by_the_service_too(area_member, area):
    from django.core.exceptions import ValidationError

    from watch.community.observations import ObservationDetails, report_observation

    lon, lat = centre(area)
    details = ObservationDetails("graffiti", timezone.now() + timedelta(minutes=5), lon, lat, "x")
    with pytest.raises(ValidationError):
        report_observation(reporter=area_member, details=details)
    assert not Observation.objects.exists()


def test_people_who_are_not_members_of_an_area_cannot_report(member, area, coordinator):
    pending = UserFactory()
    resident(pending, HouseholdFactory.inside(area))  # a household, but not approved
    for user in (member, pending, coordinator):
        client = client_for(user)
        page = client.get(reverse("watch:observation_report"))
        assert page.status_code == 200
        assert page.context["allowed"] is False
        assert b'type="file"' not in page.content
        assert (
            client.post(reverse("watch:observation_report"), report_data(area)).status_code == 403
        )
    assert not Observation.objects.exists()


def upload(content: bytes, name: str = "IMG_0001.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def test_a_photo_is_stored_under_a_random_name_without_its_location(area_member, area):
    data = report_data(area, photo=upload(photo_bytes("JPEG")))

    client_for(area_member).post(reverse("watch:observation_report"), data)

    observation = Observation.objects.get()
    assert "IMG_0001" not in observation.photo.name
    assert observation.photo.name.endswith(".jpg")
    with observation.photo.open("rb") as handle:
        stored = Image.open(handle)
        assert dict(stored.getexif()) == {}


def test_a_photo_keeps_its_location_when_the_member_ticks_the_box(area_member, area):
    data = report_data(area, photo=upload(photo_bytes("PNG"), "x.png"), keep_location="on")

    client_for(area_member).post(reverse("watch:observation_report"), data)

    with Observation.objects.get().photo.open("rb") as handle:
        gps = Image.open(handle).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert gps[ExifTags.GPS.GPSLatitude] == (58.0, 42.0, 36.0)


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(area_member, area, tmp_path):
    data = report_data(area, photo=upload(b"<svg onload='alert(1)'/>", "x.jpg"))

    response = client_for(area_member).post(reverse("watch:observation_report"), data)

    assert response.context["form"].errors["photo"]
    assert not Observation.objects.exists()
    assert list(tmp_path.rglob("*.*")) == []


def test_a_photo_over_the_limit_is_refused(area_member, area, settings):
    settings.OBSERVATION_PHOTO_MAX_BYTES = 2048
    data = report_data(area, photo=upload(photo_bytes("PNG", size=(300, 300)) + b"\0" * 4096))

    response = client_for(area_member).post(reverse("watch:observation_report"), data)

    assert "too large" in str(response.context["form"].errors["photo"])
    assert not Observation.objects.exists()


# --- Seeing, handling, exporting -----------------------------------------------------------


def test_contacts_see_their_areas_and_coordinators_their_municipalities(
    area, area_b, area_c, area_contact, other_area_contact, coordinator, other_coordinator, police
):
    in_a, in_b, in_c = (
        observation_in(x, description=f"in {x.name}") for x in (area, area_b, area_c)
    )
    outside = observation_in(area, area=None, description="outside")

    def seen(user):
        page = client_for(user).get(reverse("watch:observation_list"))
        return {o.pk for o in page.context["page"]} if page.status_code == 200 else page.status_code

    assert seen(area_contact) == {in_a.pk}
    assert seen(other_area_contact) == {in_b.pk}
    assert seen(coordinator) == {in_a.pk, in_b.pk, outside.pk}
    assert seen(other_coordinator) == {in_c.pk}
    assert seen(police) == 404


def test_the_map_outlines_the_areas_of_the_observations_on_the_page(
    area, area_b, area_contact, coordinator
):
    observation_in(area)
    observation_in(area, area=None)

    contacts = client_for(area_contact).get(reverse("watch:observation_list")).context
    coordinators = client_for(coordinator).get(reverse("watch:observation_list")).context

    assert contacts["outlines"] == [area.boundary]
    assert coordinators["outlines"] == [area.boundary]  # not area B's: nothing was seen there


def test_the_list_filters_by_category_date_area_and_status(area, area_b, coordinator):
    now = timezone.now()
    old = observation_in(area, observed_at=now - timedelta(days=40))
    posting = observation_in(area, category="fly_posting")
    in_b = observation_in(area_b, handled_at=now)
    client = client_for(coordinator)

    def shown(**query):
        page = client.get(reverse("watch:observation_list"), query)
        return {o.pk for o in page.context["page"]}

    assert shown(category="fly_posting") == {posting.pk}
    assert shown(area=area_b.pk) == {in_b.pk}
    assert shown(status="handled") == {in_b.pk}
    assert shown(status="open") == {old.pk, posting.pk}
    day = timezone.localdate(old.observed_at).isoformat()
    assert shown(observed_from=day, observed_until=day) == {old.pk}
    assert shown(area=999999) == {old.pk, posting.pk, in_b.pk}  # invalid: the error shows


def test_the_list_runs_a_constant_number_of_queries(
    area, area_member, coordinator, django_assert_max_num_queries
):
    client = client_for(coordinator)
    observation_in(area, reporter=area_member, photo="observations/x.jpg")
    client.get(reverse("watch:observation_list"))  # warm the session
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("watch:observation_list"))
    for _ in range(30):
        observation_in(
            area, reporter=UserFactory(), handled_at=timezone.now(), handled_by=coordinator
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("watch:observation_list"))
    assert len(page.context["page"]) == 31


def test_marking_handled_is_recorded_once(area, area_contact, coordinator):
    observation = observation_in(area)
    url = reverse("watch:observation_status", args=[observation.pk])

    client_for(area_contact).post(url, {"status": "handled"})
    client_for(coordinator).post(url, {"status": "handled"})

    observation.refresh_from_db()
    assert (observation.status, observation.handled_by) == ("handled", area_contact)
    assert observation.handled_at is not None
    entries = AuditEntry.objects.filter(action="observation_handled")
    assert [(e.actor, e.area, e.municipality) for e in entries] == [
        (area_contact, area, area.municipality)
    ]


def test_others_cannot_mark_handled(area, other_area_contact, other_coordinator, police):
    observation = observation_in(area)
    for user in (other_area_contact, other_coordinator, police):
        response = client_for(user).post(
            reverse("watch:observation_status", args=[observation.pk]), {"status": "handled"}
        )
        assert response.status_code == 404
    observation.refresh_from_db()
    assert (observation.status, observation.handled_at) == ("received", None)
    assert not AuditEntry.objects.exists()


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_export_is_filtered_formula_safe_and_recorded(
    area, area_b, area_member, coordinator
):
    observation_in(area, reporter=area_member, description='=HYPERLINK("http://evil.example")')
    observation_in(area, category="vandalism", description="Broken window")
    observation_in(area_b, category="fly_posting")

    response = client_for(coordinator).get(reverse("watch:observations_csv"), {"area": area.pk})

    assert response["Content-Disposition"].startswith("attachment")
    rows = read_csv(response)
    assert len(rows) == 3
    descriptions = {row[7] for row in rows[1:]}
    assert descriptions == {'\'=HYPERLINK("http://evil.example")', "Broken window"}
    assert "Anna Areamedlem" not in response.content.decode("utf-8-sig")  # no reporter
    entry = AuditEntry.objects.get(action="observations_exported")
    assert (entry.actor, entry.municipality, entry.detail) == (
        coordinator,
        area.municipality,
        "2 observations",
    )


def test_the_list_downloads_what_it_shows_filtered_without_its_page(area, area_b, coordinator):
    observation_in(area, category="vandalism", description="Broken window")
    observation_in(area_b, category="vandalism", description="In another area")
    client = client_for(coordinator)

    page = client.get(
        reverse("watch:observation_list"), {"area": area.pk, "status": "open", "page": "1"}
    ).content.decode()

    link = re.search(r'href="([^"]*)">Download CSV', page).group(1).replace("&amp;", "&")
    assert link == f"{reverse('watch:observations_csv')}?area={area.pk}&status=open"
    rows = read_csv(client.get(link))
    assert [row[7] for row in rows[1:]] == ["Broken window"]
    unfiltered = client.get(reverse("watch:observation_list")).content.decode()
    assert f'href="{reverse("watch:observations_csv")}">Download CSV' in unfiltered


def test_the_csv_export_holds_only_what_the_user_may_see(area, area_b, other_area_contact):
    observation_in(area, description="secret in A")
    observation_in(area_b, description="in B")

    response = client_for(other_area_contact).get(reverse("watch:observations_csv"))

    body = response.content.decode("utf-8-sig")
    assert "in B" in body
    assert "secret in A" not in body


# --- Photos are served only through the permission-checked view ------------------------------


@pytest.fixture
def with_photo(area, area_member):
    observation = observation_in(area, reporter=area_member)
    from django.core.files.base import ContentFile

    observation.photo.save("abc.jpg", ContentFile(photo_bytes("JPEG")), save=True)
    return observation


def test_the_photo_is_shown_to_those_who_see_the_observation(with_photo, area_contact, coordinator):
    for user in (area_contact, coordinator):
        response = client_for(user).get(reverse("watch:observation_photo", args=[with_photo.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


def test_the_photo_is_hidden_from_everyone_else(
    with_photo, area_member, other_area_contact, other_coordinator, police
):
    url = reverse("watch:observation_photo", args=[with_photo.pk])
    assert client_for(area_member).get(url).status_code == 404
    for user in (other_area_contact, other_coordinator, police):
        assert client_for(user).get(url).status_code == 404
    assert client_for(area_member).get(url).status_code == 404


def test_an_observation_without_a_photo_has_no_photo_page(area, coordinator):
    observation = observation_in(area)

    response = client_for(coordinator).get(
        reverse("watch:observation_photo", args=[observation.pk])
    )

    assert response.status_code == 404


def test_the_header_links_follow_the_roles(area_member, area_contact, coordinator, police):
    def links(user):
        page = client_for(user).get(reverse("watch:home"))
        navigation = page.context["navigation"]
        return {str(item.label) for item in navigation.primary + navigation.menu}

    assert {"Report"} <= links(area_member)
    assert not {"Observations", "Statistics"} & links(area_member)
    assert {"Report", "Observations"} <= links(area_contact)
    assert {"Observations", "Statistics"} <= links(coordinator)
    assert "Statistics" in links(police)
    assert not {"Observations", "Report"} & links(police)


def test_in_swedish_one_report_is_hanterad_and_the_filter_shows_hanterade(area, coordinator):
    observation_in(area, status="handled")
    coordinator.language = "sv"  # signed in, a page is in the profile's language
    coordinator.save(update_fields=["language"])

    page = client_for(coordinator).get(reverse("watch:observation_list")).content.decode()

    # One report is "hanterad"; the filter's choice, the reports handled, "hanterade".
    assert '<span class="badge">Hanterad</span>' in page
    assert '<option value="handled">Hanterade</option>' in page


@pytest.mark.parametrize(
    ("query", "folds", "in_use"),
    [
        ("", True, 0),
        ("?status=open", False, 1),
        ("?status=open&category=graffiti", False, 2),
        # A refused filter keeps the form open, where its error shows.
        ("?observed_from=not-a-date", False, 0),
    ],
    ids=["none", "one", "two", "refused"],
)
def test_the_filters_fold_on_a_phone_only_when_none_is_in_use(
    coordinator, area, query, folds, in_use
):
    page = client_for(coordinator).get(reverse("watch:observation_list") + query)

    html = page.content.decode()
    assert ("data-fold-on-phone" in html) is folds
    assert page.context["form"].filters_in_use == in_use
