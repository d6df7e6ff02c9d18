"""The demo: a plausible year of Mariestad, Töreboda and Gullspång, loaded once."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from celery import signals
from django.apps import apps
from django.core import mail, serializers
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.alerts.models import Alert, AlertStatus, Channel, Delivery
from notifications.outbox.models import DeliveryStatus
from notifications.replies.models import Conversation
from notifications.tips.models import Tip
from official.police_events.models import PoliceEvent
from watch.areas.models import AreaStatus, Municipality, WatchArea
from watch.community.models import (
    Meeting,
    Observation,
    ObservationCategory,
    ObservationStatus,
    ObservationUpdate,
)
from watch.demo.content import DEMO_PASSWORD
from watch.households.models import Interest, Membership, MembershipStatus
from watch.municipality_page.models import MunicipalityContact
from watch.paper import selectors as paper_selectors
from watch.paper.models import PaperHousehold, PaperText, SaidNo
from watch.roles.models import AreaContact, Official
from watch.signs.models import Sign, SignReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=StringIO())


def snapshot() -> str:
    """Every row of every project model, serialised: equal snapshots mean nothing changed."""
    models = [
        model
        for app in ("accounts", "watch", "notifications", "account", "mfa", "django_celery_beat")
        for model in apps.get_app_config(app).get_models()
    ]
    return serializers.serialize(
        "json", [obj for model in models for obj in model.objects.order_by("pk")]
    )


def test_loading_the_demo_twice_changes_nothing(demo, django_capture_on_commit_callbacks):
    first = snapshot()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("load_demo", stdout=StringIO())

    assert snapshot() == first
    assert callbacks == []


def test_the_demo_sends_and_queues_nothing(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    tasks: list[str] = []

    def record(sender, **kwargs) -> None:
        tasks.append(sender.name)

    signals.task_prerun.connect(record, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("load_demo", stdout=StringIO())
    finally:
        signals.task_prerun.disconnect(record)

    assert tasks == []
    assert mail.outbox == []
    assert not Delivery.objects.filter(status=DeliveryStatus.SENDING).exists()


def test_the_demo_prints_the_logins_and_the_load_time(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert "Demo data loaded in" in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
    for email in ("admin@example.com", "samordnare@example.com", "polis@example.com"):
        assert email in out.getvalue()


def test_the_demo_has_three_municipalities_with_their_officials_and_contact_roles(demo):
    assert dict(Municipality.objects.values_list("code", "name")) == {
        "1493": "Mariestad",
        "1473": "Töreboda",
        "1447": "Gullspång",
    }
    for municipality in Municipality.objects.all():
        roles = set(municipality.contacts.values_list("role", flat=True))
        assert roles == {"kommunpolis", "sakerhetssamordnare"}
        assert Official.objects.filter(municipalities=municipality).count() >= 2
    assert all(c.email.endswith("@example.com") for c in MunicipalityContact.objects.all())
    assert not User.objects.exclude(email__endswith="@example.com").exists()


def test_the_demo_has_about_thirty_areas_in_every_status_drawn_as_polygons(demo):
    statuses = Counter(WatchArea.objects.values_list("status", flat=True))

    assert 25 <= sum(statuses.values()) <= 35
    assert set(statuses) == set(AreaStatus.values)
    for area in WatchArea.objects.all():
        ring = area.boundary["coordinates"][0]
        # Blocks along streets, not boxes: no two corners share a longitude or latitude.
        assert area.boundary["type"] == "Polygon", area.name
        assert len({lon for lon, _lat in ring}) == len({lat for _lon, lat in ring}) == len(ring) - 1


def test_households_joined_over_the_year_with_requests_declines_and_leavers(demo):
    memberships = Membership.objects.all()
    statuses = Counter(memberships.values_list("status", flat=True))
    months = (
        memberships.filter(status=MembershipStatus.APPROVED)
        .annotate(month=TruncMonth("decided_at"))
        .values("month")
        .annotate(n=Count("pk"))
    )

    assert 500 <= memberships.count() <= 700
    assert statuses[MembershipStatus.REQUESTED] > 0
    assert statuses[MembershipStatus.LEFT] > 0
    assert statuses[MembershipStatus.DECLINED] > 0
    assert not memberships.filter(status=MembershipStatus.DECLINED, reason="").exists()
    assert len(months) >= 11


def test_most_active_areas_have_two_or_three_contacts_and_some_none(demo):
    active = WatchArea.objects.filter(status=AreaStatus.ACTIVE).annotate(n=Count("contacts"))
    counts = Counter(area.n for area in active)

    assert counts[0] > 0
    assert counts[2] + counts[3] > counts[0] + counts[1]
    assert AreaContact.objects.filter(user__email="kontaktombud@example.com").exists()


def test_a_year_of_alerts_with_deliveries_in_every_status(demo):
    alerts = Alert.objects.all()
    sent = alerts.filter(status=AlertStatus.SENT)
    deliveries = Delivery.objects.all()

    # Police alerts in every thirty days of the past eleven months: the demo places them
    # so, where a household had joined (the twelfth may have none), and a month of 31
    # days can fall between them, so they are not counted by calendar month.
    now = timezone.now()
    periods = {(now - sent_at).days // 30 for sent_at in sent.values_list("sent_at", flat=True)}
    assert set(range(11)) <= periods
    assert alerts.filter(is_exercise=True).exists()
    assert alerts.filter(refers_to__isnull=False).count() >= 2  # an update and a cancellation
    assert alerts.filter(is_public=True).exists()
    assert alerts.filter(status=AlertStatus.SCHEDULED).exists()
    assert alerts.filter(status=AlertStatus.DRAFT).exists()
    assert deliveries.filter(status=DeliveryStatus.SENT).exists()
    assert not deliveries.filter(status=DeliveryStatus.FAILED, last_error="").exists()
    assert deliveries.filter(status=DeliveryStatus.FAILED).exists()
    assert deliveries.filter(status=DeliveryStatus.SKIPPED).exists()
    # Text messages waiting for the member's quiet hours to end.
    assert deliveries.filter(
        channel=Channel.SMS,
        status=DeliveryStatus.QUEUED,
        next_attempt_at__gt=timezone.now(),
    ).exists()
    member = User.objects.get(email="medlem@example.com")
    assert deliveries.filter(user=member, channel=Channel.INAPP).count() >= 12


def test_meetings_observations_interest_and_tips(demo):
    meetings = Meeting.objects.all()
    observations = Observation.objects.all()

    assert meetings.filter(starts_at__lt=timezone.now()).exists()
    assert meetings.filter(cancelled=False, starts_at__gt=timezone.now()).exists()
    assert meetings.filter(cancelled=True).exists()
    assert set(observations.values_list("category", flat=True)) == set(ObservationCategory.values)
    assert observations.filter(handled_at__isnull=True).exists()
    assert observations.filter(handled_at__isnull=False).exists()
    photo = observations.exclude(photo="").first()
    assert photo is not None
    assert photo.photo.read(3) == b"\xff\xd8\xff"  # a JPEG
    # Interest where no active area is, clustered in a few places.
    assert Interest.objects.count() >= 30
    assert len(set(Interest.objects.values_list("household__town", flat=True))) <= 8
    assert "020-50 50 50" in Tip.objects.get(title__startswith="Hedersrelaterat").body


def test_reports_answer_back_and_members_answer_alerts(demo):
    observations = Observation.objects.all()
    assert set(observations.values_list("status", flat=True)) == set(ObservationStatus.values)
    merged = observations.get(merged_into__isnull=False)
    assert merged.status == merged.merged_into.status
    assert merged.updates.filter(merged_into=merged.merged_into).exists()
    assert ObservationUpdate.objects.filter(status=ObservationStatus.POLICE).exists()
    # Replies to the police's latest alerts: the demo member's answered, one the police
    # have not read, one closed.
    resident = User.objects.get(email="medlem@example.com")
    mine = Conversation.objects.get(member=resident)
    assert list(mine.replies.values_list("from_member", flat=True)) == [True, False]
    assert mine.member_read_at is None
    assert Conversation.objects.filter(handlers_read_at__isnull=True).exists()
    assert Conversation.objects.filter(closed_at__isnull=False).exists()
    assert all(
        Delivery.objects.filter(alert=c.alert, user=c.member).exists()
        for c in Conversation.objects.all()
    )


def test_the_demo_officials_sign_in_with_the_printed_two_factor_code(demo, client):
    out = StringIO()
    call_command("demo_code", stdout=out)
    code = out.getvalue().strip().splitlines()[-1]

    client.post(reverse("account_login"), {"login": "polis@example.com", "password": DEMO_PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email="polis@example.com").pk)


def test_the_demo_has_signs_the_polices_events_and_areas_without_signs(demo):
    assert Sign.objects.count() >= 10
    report = SignReport.objects.get()
    assert report.reported_by is not None
    assert report.sign.condition == "damaged"
    assert WatchArea.objects.filter(status="active", signs__isnull=True).exists()
    assert PoliceEvent.objects.filter(municipality__slug="mariestad").count() >= 3


def test_the_contacts_area_has_households_on_paper_one_texted_and_letters_to_deliver(demo):
    marieholm = WatchArea.objects.get(name="Marieholm")
    on_paper = PaperHousehold.objects.filter(household__memberships__area=marieholm)
    assert on_paper.count() == 3
    assert on_paper.filter(phone_verified_at__isnull=False).count() == 1
    assert SaidNo.objects.filter(area=marieholm).exists()
    assert PaperText.objects.filter(status="sent").exists()
    assert paper_selectors.area_paper(marieholm).letters_to_deliver > 0
