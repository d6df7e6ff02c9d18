"""The tip library: curating tips, sending them, and yearly schedules (django-celery-beat)."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from notifications import tasks
from notifications.alerts.models import Alert, Delivery
from notifications.tips import services as tips
from notifications.tips.models import Tip, TipSchedule
from tests.conftest import client_for
from tests.factories import WatchAreaFactory, member_of
from watch.areas.models import AreaStatus
from watch.roles.models import Official

pytestmark = pytest.mark.django_db

LIBRARY = reverse("notifications:tip_list")


@pytest.fixture
def tip(db) -> Tip:
    return Tip.objects.create(
        theme="Inbrott",
        title="Inbrott under semestern",
        body="Be en granne att tömma brevlådan.",
    )


def schedule_for(actor, tip, *municipalities, month=12, day=24) -> TipSchedule:
    return tips.schedule_yearly(
        actor=actor, tip=tip, municipalities=municipalities, month=month, day=day
    )


def nothing_scheduled() -> bool:
    return (
        not TipSchedule.objects.exists()
        and not PeriodicTask.objects.filter(task=tips.TASK_NAME).exists()
    )


# --- The library -----------------------------------------------------------------------------


def test_a_coordinator_adds_a_tip(coordinator):
    response = client_for(coordinator).post(
        LIBRARY, {"theme": "Klotter", "title": "Anmäl klotter", "body": "Fotografera och anmäl."}
    )

    assert response.status_code == 302
    tip = Tip.objects.get()
    assert (tip.theme, tip.title, tip.body) == (
        "Klotter",
        "Anmäl klotter",
        "Fotografera och anmäl.",
    )
    assert tip.created_by == coordinator


def test_a_coordinator_edits_a_tip(coordinator, tip):
    url = reverse("notifications:tip_edit", args=[tip.pk])
    client = client_for(coordinator)
    assert client.get(url).status_code == 200

    client.post(url, {"theme": "Inbrott", "title": "Ny rubrik", "body": "Ny text."})

    tip.refresh_from_db()
    assert (tip.title, tip.body) == ("Ny rubrik", "Ny text.")


def test_police_see_the_library_but_may_not_add_or_edit_tips(police, tip):
    """403, not 404: police see the library, so there is nothing to hide, only a refusal."""
    client = client_for(police)
    page = client.get(LIBRARY)
    assert page.status_code == 200
    assert b"Add a tip" not in page.content

    response = client.post(LIBRARY, {"theme": "X", "title": "Polisens tips", "body": "Text."})
    assert response.status_code == 403
    assert client.get(reverse("notifications:tip_edit", args=[tip.pk])).status_code == 403
    assert list(Tip.objects.values_list("title", flat=True)) == [tip.title]
    with pytest.raises(PermissionDenied):
        tips.save_tip(actor=police, title="Polisens tips", body="Text.", theme="X")


@pytest.mark.parametrize("who", ["member", "area_contact"])
def test_the_library_does_not_exist_for_members(request, who, tip):
    client = client_for(request.getfixturevalue(who))

    assert client.get(LIBRARY).status_code == 404
    assert client.post(LIBRARY, {"theme": "X", "title": "T", "body": "B"}).status_code == 404
    assert client.get(reverse("notifications:tip_schedule", args=[tip.pk])).status_code == 404
    assert Tip.objects.count() == 1


def test_the_library_links_to_the_composer_prefilled_with_the_tip(coordinator, tip):
    client = client_for(coordinator)
    composer = f"{reverse('notifications:alert_create')}?tip={tip.pk}"

    page = client.get(LIBRARY)
    assert composer.encode() in page.content
    assert reverse("notifications:tip_schedule", args=[tip.pk]).encode() in page.content

    form = client.get(composer).context["form"]
    assert form["title"].value() == tip.title
    assert form["body"].value() == tip.body
    assert form["kind"].value() == "tip"


def test_tips_are_grouped_by_theme(coordinator, tip):
    Tip.objects.create(theme="Klotter", title="Anmäl klotter", body="Text.")

    content = client_for(coordinator).get(LIBRARY).content.decode()

    assert content.index("<h2>Inbrott</h2>") < content.index("<h2>Klotter</h2>")


# --- Yearly schedules ------------------------------------------------------------------------


def test_schedule_yearly_creates_the_beat_task(coordinator, municipality, tip):
    schedule = schedule_for(coordinator, tip, municipality, month=12, day=24)

    task = PeriodicTask.objects.get(name=f"tip-schedule-{schedule.pk}")
    assert schedule.periodic_task == task
    assert task.task == "notifications.tasks.send_scheduled_tip"
    assert tasks.send_scheduled_tip.name == task.task
    assert json.loads(task.args) == [schedule.pk]
    assert task.enabled
    crontab = task.crontab
    assert (
        crontab.minute,
        crontab.hour,
        crontab.day_of_month,
        crontab.month_of_year,
        crontab.day_of_week,
    ) == ("0", "9", "24", "12", "*")
    assert str(crontab.timezone) == "Europe/Stockholm"
    assert list(schedule.municipalities.all()) == [municipality]
    assert schedule.author == coordinator


def test_two_schedules_on_the_same_date_share_one_crontab(coordinator, municipality, tip):
    schedule_for(coordinator, tip, municipality)
    schedule_for(coordinator, tip, municipality)

    assert CrontabSchedule.objects.filter(day_of_month="24", month_of_year="12").count() == 1
    assert PeriodicTask.objects.filter(task=tips.TASK_NAME).count() == 2


@pytest.mark.parametrize(
    ("month", "day", "field", "message"),
    [
        (2, 30, "day", "February has 28 days"),
        (2, 29, "day", "only in leap years"),
        (13, 1, "month", "from 1 to 12"),
        (4, 31, "day", "April has 30 days"),
        (1, 0, "day", "from 1 to 31"),
    ],
)
def test_schedule_yearly_rejects_dates_that_do_not_come_every_year(
    coordinator, municipality, tip, month, day, field, message
):
    with pytest.raises(ValidationError) as caught:
        schedule_for(coordinator, tip, municipality, month=month, day=day)

    assert message in " ".join(caught.value.message_dict[field])
    assert nothing_scheduled()
    assert not CrontabSchedule.objects.filter(hour="9").exists()


def test_the_schedule_form_says_why_29_february_is_refused(coordinator, municipality, tip):
    response = client_for(coordinator).post(
        reverse("notifications:tip_schedule", args=[tip.pk]),
        {"municipalities": [municipality.pk], "month": 2, "day": 29},
    )

    assert response.status_code == 200
    assert "only in leap years" in " ".join(response.context["form"].errors["day"])
    assert nothing_scheduled()


def test_the_schedule_form_creates_a_schedule(coordinator, municipality, tip):
    client = client_for(coordinator)
    url = reverse("notifications:tip_schedule", args=[tip.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"municipalities": [municipality.pk], "month": 6, "day": 15})

    assert response.status_code == 302
    schedule = TipSchedule.objects.get()
    assert (schedule.month, schedule.day) == (6, 15)
    assert schedule.periodic_task.crontab.day_of_month == "15"
    assert "15 June" in client.get(LIBRARY).content.decode()


def test_a_coordinator_cannot_schedule_to_another_municipality(
    coordinator, municipality, other_municipality, tip
):
    response = client_for(coordinator).post(
        reverse("notifications:tip_schedule", args=[tip.pk]),
        {"municipalities": [other_municipality.pk], "month": 12, "day": 24},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["municipalities"]
    assert nothing_scheduled()
    with pytest.raises(PermissionDenied):
        schedule_for(coordinator, tip, municipality, other_municipality)
    assert nothing_scheduled()


def test_unschedule_removes_the_schedule_and_its_beat_task(coordinator, municipality, tip):
    schedule = schedule_for(coordinator, tip, municipality)
    task_pk = schedule.periodic_task_id

    response = client_for(coordinator).post(
        reverse("notifications:tip_unschedule", args=[schedule.pk])
    )

    assert response.status_code == 302
    assert not TipSchedule.objects.filter(pk=schedule.pk).exists()
    assert not PeriodicTask.objects.filter(pk=task_pk).exists()


def test_others_cannot_unschedule(coordinator, other_coordinator, municipality, tip):
    schedule = schedule_for(coordinator, tip, municipality)
    url = reverse("notifications:tip_unschedule", args=[schedule.pk])

    # Another municipality's coordinator does not see the schedule at all.
    assert client_for(other_coordinator).post(url).status_code == 404
    assert TipSchedule.objects.filter(pk=schedule.pk).exists()
    assert PeriodicTask.objects.filter(pk=schedule.periodic_task_id).exists()


# --- Sending a yearly tip --------------------------------------------------------------------


def test_send_scheduled_tip_sends_an_alert_to_the_municipalitys_areas(
    coordinator, municipality, area, area_b, area_c, tip, django_capture_on_commit_callbacks
):
    inside = [member_of(area), member_of(area_b)]
    paused = WatchAreaFactory(municipality=municipality, status=AreaStatus.PAUSED)
    outside = [member_of(area_c), member_of(paused)]
    schedule = schedule_for(coordinator, tip, municipality)

    with django_capture_on_commit_callbacks(execute=True):
        alert_id = tasks.send_scheduled_tip(schedule.pk)

    alert = Alert.objects.get(pk=alert_id)
    assert (alert.kind, alert.severity, alert.status) == ("tip", "info", "sent")
    assert (alert.title, alert.body, alert.author) == (tip.title, tip.body, coordinator)
    assert alert.target_kind == "municipalities"
    assert not alert.is_public
    assert list(alert.target_municipalities.all()) == [municipality]
    assert set(alert.areas.all()) == {area, area_b}
    reached = set(
        Delivery.objects.filter(alert=alert, status="sent").values_list("user", flat=True)
    )
    assert reached == {user.pk for user in inside}
    assert not Delivery.objects.filter(alert=alert, user__in=outside).exists()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(u.email for u in inside)


def test_a_redelivered_beat_message_sends_the_tip_once(
    coordinator, municipality, area, tip, django_capture_on_commit_callbacks
):
    member_of(area)
    schedule = schedule_for(coordinator, tip, municipality)

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.send_scheduled_tip(schedule.pk)
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.send_scheduled_tip(schedule.pk)

    assert first == second
    assert Alert.objects.count() == 1
    assert len(mail.outbox) == 1


def test_an_author_who_lost_the_role_sends_nothing(
    coordinator, municipality, area, tip, django_capture_on_commit_callbacks, caplog
):
    member_of(area)
    schedule = schedule_for(coordinator, tip, municipality)
    Official.objects.filter(user=coordinator).delete()

    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.send_scheduled_tip(schedule.pk)

    assert result is None
    assert not Alert.objects.exists()
    assert mail.outbox == []
    assert "may no longer send" in caplog.text


def test_a_deleted_schedule_sends_nothing(coordinator, municipality, tip):
    schedule = schedule_for(coordinator, tip, municipality)
    tips.unschedule(actor=coordinator, schedule=schedule)

    assert tasks.send_scheduled_tip(schedule.pk) is None
    assert not Alert.objects.exists()
