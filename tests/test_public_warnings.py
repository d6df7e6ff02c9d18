"""Public warnings (VMA) from Sveriges Radio's API: imported for the deployment's
municipalities, a banner while current, ended as the publisher ends them, never edited,
and forwarded verbatim by a coordinator through the normal pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from notifications.alerts.models import Alert, AlertStatus, Kind, Severity
from official.fetching import FeedState
from official.public_warnings import selectors, services
from official.public_warnings.models import Ending, PublicWarning
from tests.conftest import client_for
from tests.factories import member_of
from tests.recorded_http import RecordedServer, recorded_server

DATA = Path(__file__).parent / "data" / "vma"
FIRE = "SRCAP20261204140100I"


@pytest.fixture
def vma(settings, monkeypatch, municipality, other_municipality) -> Iterator[RecordedServer]:
    with recorded_server(DATA, monkeypatch, path="/api/v3/alerts") as fake:
        settings.PUBLIC_WARNINGS_BACKEND = "live"
        settings.PUBLIC_WARNINGS_URL = fake.url
        settings.OFFICIAL_FEEDS_TIMEOUT_SECONDS = 1
        yield fake


def import_now() -> int | None:
    FeedState.objects.filter(name=services.FEED).update(next_call_at=None)
    return services.import_warnings()


def banner_on(client, path: str = "/") -> str:
    page = client.get(path).content.decode()
    return (
        page.split('class="banner banner-error has-icon public-warning"')[1]
        if ("public-warning" in page)
        else ""
    )


def test_a_warning_for_a_municipality_of_the_deployment_is_stored(vma, municipality):
    vma.respond_with("fire")

    assert import_now() == 1

    warning = PublicWarning.objects.get()
    assert warning.identifier == FIRE
    assert list(warning.municipalities.all()) == [municipality]
    # The publisher's text and time, as published (CR LF as LF).
    assert warning.description.startswith("Viktigt meddelande till allmänheten i Mariestad")
    assert "\n\nDet brinner i en lagerbyggnad" in warning.description
    assert warning.sent_at.isoformat() == "2026-12-04T13:01:00+00:00"
    assert warning.sender_name == "Sveriges Radio"
    [request] = vma.requests
    assert request.method == "GET"
    assert request.headers["User-Agent"].startswith("Grannsamverkan (")


def test_a_county_wide_warning_concerns_every_municipality_of_the_county(
    vma, municipality, other_municipality
):
    vma.respond_with("fire_and_county")

    import_now()

    county = PublicWarning.objects.get(identifier="SRCAP20261204130000I")
    assert set(county.municipalities.all()) == {municipality, other_municipality}
    # Uppsala's warning is not stored at all.
    assert PublicWarning.objects.count() == 2


def test_exercises_and_tests_are_not_warnings(vma):
    vma.respond_with("exercise")

    assert import_now() == 0
    assert not PublicWarning.objects.exists()


def test_members_of_the_municipality_see_the_banner_on_every_page(vma, area, area_c, client):
    vma.respond_with("fire")
    import_now()
    here, elsewhere = member_of(area), member_of(area_c)

    mine = banner_on(client_for(here), reverse("notifications:inbox"))
    theirs = banner_on(client_for(elsewhere), reverse("notifications:inbox"))

    # What happened, not the announcement's name: the first paragraph after it.
    assert "Det brinner i en lagerbyggnad i Haggården" in mine
    assert "Mariestad" in mine
    assert theirs == ""
    # The public pages show it to everyone.
    assert "Det brinner i en lagerbyggnad" in banner_on(client, reverse("watch:area_list"))


def test_an_update_replaces_the_warning_and_a_cancel_ends_it(vma, area, client):
    vma.respond_with("fire", "fire_updated", "fire_cancelled")
    import_now()

    import_now()
    original = PublicWarning.objects.get(identifier=FIRE)
    update = PublicWarning.objects.get(identifier="SRCAP20261204153000I")
    assert original.ending == Ending.UPDATED
    assert update.is_current
    assert reverse("official:public_warning", args=[update.pk]) in banner_on(client)

    import_now()
    update.refresh_from_db()
    assert PublicWarning.objects.get(identifier=FIRE).ending == Ending.UPDATED
    # The Cancel references the first message; the update is no longer listed either.
    assert not update.is_current
    assert banner_on(client) == ""


def test_a_cancel_ends_the_warning_it_references(vma, client):
    vma.respond_with("fire", "fire_cancelled")
    import_now()

    import_now()

    warning = PublicWarning.objects.get(identifier=FIRE)
    assert warning.ending == Ending.CANCELLED
    assert warning.ended_at.isoformat() == "2026-12-04T16:00:00+00:00"
    assert banner_on(client) == ""


def test_a_warning_no_longer_published_is_withdrawn(vma, client):
    vma.respond_with("fire", "none")
    import_now()

    import_now()

    assert PublicWarning.objects.get().ending == Ending.WITHDRAWN
    assert banner_on(client) == ""


def test_an_expired_warning_has_no_banner(vma, client):
    vma.respond_with("fire")
    import_now()
    PublicWarning.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    import_now()  # not its turn: the banner list is refreshed all the same

    assert banner_on(client) == ""


def test_a_warning_is_never_edited_nor_re_dated(vma):
    vma.respond_with("fire", "fire_altered")
    import_now()

    import_now()

    warning = PublicWarning.objects.get()
    assert "Ändrad text" not in warning.description
    assert warning.sent_at.isoformat() == "2026-12-04T13:01:00+00:00"


@pytest.mark.parametrize(
    "recording", ["truncated", "unavailable", "list_not_object", "bad_messages"]
)
def test_a_bad_answer_keeps_the_banner(vma, client, recording):
    vma.respond_with("fire", recording)
    import_now()

    import_now()

    assert "Det brinner i en lagerbyggnad" in banner_on(client)
    assert PublicWarning.objects.get(identifier=FIRE).is_current


def test_bad_messages_are_skipped_and_the_good_one_kept(vma, caplog):
    vma.respond_with("bad_messages")

    assert import_now() == 1

    assert list(PublicWarning.objects.values_list("identifier", flat=True)) == [FIRE]
    assert "skipped" in caplog.text


def test_a_timeout_changes_nothing(vma, client, settings):
    vma.respond_with("fire")
    import_now()
    settings.OFFICIAL_FEEDS_TIMEOUT_SECONDS = 0.2
    vma.delay = 2

    assert import_now() is None

    assert "Det brinner i en lagerbyggnad" in banner_on(client)
    assert FeedState.objects.get(name=services.FEED).failures == 1


def test_the_warnings_page_shows_the_text_verbatim_with_its_source(vma, client):
    vma.respond_with("fire")
    import_now()
    warning = PublicWarning.objects.get()

    page = client.get(reverse("official:public_warning", args=[warning.pk])).content.decode()

    assert "Det brinner i en lagerbyggnad i Haggården" in page
    assert "Sveriges Radio" in page
    assert "Send the warning to members" not in page


def test_a_coordinator_forwards_the_warning_verbatim_to_the_members(
    vma, coordinator, area, area_c, django_capture_on_commit_callbacks
):
    vma.respond_with("fire")
    import_now()
    warning = PublicWarning.objects.get()
    here, elsewhere = member_of(area), member_of(area_c)
    client = client_for(coordinator)
    assert (
        "Send the warning to members"
        in client.get(reverse("official:public_warning", args=[warning.pk])).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("official:public_warning_forward", args=[warning.pk]))

    alert = Alert.objects.get()
    assert response.status_code == 302
    assert (alert.kind, alert.severity) == (Kind.WARNING, Severity.URGENT)
    assert alert.title == "Viktigt meddelande till allmänheten (VMA)"
    assert alert.body.startswith(warning.text)
    assert "Sveriges Radio" in alert.body
    assert "4 december 2026, 14:01" in alert.body
    assert alert.source == f"vma:{FIRE}"
    assert alert.status == AlertStatus.SENT
    recipients = {message.to[0] for message in mail.outbox}
    assert here.email in recipients
    assert elsewhere.email not in recipients


def test_a_warning_is_forwarded_once_however_often_it_is_asked(
    vma, coordinator, area, admin_user, django_capture_on_commit_callbacks
):
    vma.respond_with("fire")
    import_now()
    warning = PublicWarning.objects.get()
    url = reverse("official:public_warning_forward", args=[warning.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator).post(url)
        again = client_for(coordinator).post(url, follow=True)
        by_another = client_for(admin_user).post(url, follow=True)

    assert Alert.objects.count() == 1
    assert "already been sent" in again.content.decode()
    assert "already been sent" in by_another.content.decode()
    page = client_for(coordinator).get(reverse("official:public_warning", args=[warning.pk]))
    assert "Send the warning to members" not in page.content.decode()


@pytest.mark.parametrize("who", ["police", "area_contact", "other_coordinator", "area_member"])
def test_only_the_municipalitys_coordinators_may_forward(vma, request, who, area):
    vma.respond_with("fire")
    import_now()
    warning = PublicWarning.objects.get()
    client = client_for(request.getfixturevalue(who))

    response = client.post(reverse("official:public_warning_forward", args=[warning.pk]))

    assert response.status_code in {302, 403, 404}
    assert not Alert.objects.exists()


def test_an_ended_warning_cannot_be_forwarded(vma, coordinator):
    vma.respond_with("fire", "fire_cancelled")
    import_now()
    import_now()
    warning = PublicWarning.objects.get()

    response = client_for(coordinator).post(
        reverse("official:public_warning_forward", args=[warning.pk])
    )

    assert response.status_code == 403
    assert not Alert.objects.exists()


def test_no_current_warning_costs_no_query(client, django_assert_num_queries, municipality):
    # The banner is on every page: without a warning it reads the cache and nothing else.
    client.get(reverse("watch:area_list"))

    with django_assert_num_queries(0):
        assert selectors.banners_for(None) == []


def test_a_process_reads_the_published_warnings_once_every_few_seconds(vma, client, monkeypatch):
    clock = 1000 * selectors.KEPT_SECONDS
    monkeypatch.setattr(selectors, "monotonic", lambda: clock)
    assert banner_on(client) == ""
    vma.respond_with("fire")
    import_now()
    assert banner_on(client)  # published by this process: shown on its next page

    # Another process (the importer's worker) ends it in the shared cache.
    cache.set(selectors.CURRENT_KEY, [], timeout=None)
    clock += selectors.KEPT_SECONDS - 1
    assert banner_on(client)  # this process keeps what it read, a few seconds

    clock += 1
    assert banner_on(client) == ""
