"""An answer reaches the member by the channels they chose for "Answers to my replies
and reports": a handler's answer in a reply thread and a step of their report. Always an
inbox entry (which cannot be turned off); e-mail unless turned off (by default on; never
to a suspended address); SMS if chosen, to a verified number, outside quiet hours."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.alerts.models import Alert, Delivery
from notifications.answers.models import Notice
from notifications.notices.models import BouncingAddress, OutboundEmail
from notifications.notices.services import address_hash
from notifications.preferences.models import ANSWERS, Preference
from notifications.replies.models import Conversation
from notifications.sms import backends as sms_backends
from tests import push_service
from tests.conftest import client_for
from tests.factories import member_of, observation_in, prefer, verified_phone

pytestmark = pytest.mark.django_db

PHONE = "+46701740651"
# 10:00 in Stockholm, outside the default quiet hours (22-07).
DAYTIME = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _daytime():
    with time_machine.travel(DAYTIME, tick=False):
        yield


@pytest.fixture
def conversation(police, area, area_member) -> Conversation:
    alert = Alert.objects.create(
        author=police, kind="police_alert", title="Inbrott på Storgatan", body="…", status="sent"
    )
    alert.areas.add(area)
    alert.municipalities.add(area.municipality)
    Delivery.objects.create(
        alert=alert, user=area_member, area=area, channel="inapp", status="sent"
    )
    client_for(area_member).post(
        reverse("notifications:alert_answer", args=[alert.pk]), {"text": "En vit bil."}
    )
    return Conversation.objects.get()


def answer(police, conversation, capture) -> None:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        response = client_for(police).post(
            reverse("notifications:conversation", args=[conversation.pk]), {"text": "Tack!"}
        )
    assert response.status_code == 302


def emails_to(user) -> list:  # type: ignore[no-untyped-def]
    return [message for message in mail.outbox if message.to == [user.email]]


def test_by_default_an_answer_comes_by_e_mail_and_in_the_inbox_not_by_sms(
    police, area_member, conversation, django_capture_on_commit_callbacks
):
    verified_phone(area_member, PHONE)

    answer(police, conversation, django_capture_on_commit_callbacks)

    assert len(emails_to(area_member)) == 1
    assert sms_backends.outbox == []
    notice = Notice.objects.get(user=area_member)
    page = reverse("notifications:alert_answer", args=[conversation.alert_id])
    assert (notice.path, notice.read_at) == (page, None)
    assert "Inbrott på Storgatan" in notice.line
    # In the inbox and counted in the header until opened; opening goes to the thread.
    member = client_for(area_member)
    inbox = member.get(reverse("notifications:inbox")).content.decode()
    assert reverse("notifications:notice", args=[notice.pk]) in inbox.split('id="notices"')[1]
    assert '<span class="count">2<' in inbox  # the alert's entry and the answer
    opened = member.get(reverse("notifications:notice", args=[notice.pk]))
    assert opened.headers["Location"] == page
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "Tack!" in member.get(page).content.decode()


def test_a_member_who_chose_sms_and_the_app_gets_no_e_mail(
    police, area_member, conversation, django_capture_on_commit_callbacks
):
    verified_phone(area_member, PHONE)
    prefer(area_member, ANSWERS, email=False, sms=True, inapp=True)

    answer(police, conversation, django_capture_on_commit_callbacks)

    assert emails_to(area_member) == []
    assert not OutboundEmail.objects.filter(user=area_member).exists()
    (text,) = sms_backends.outbox
    assert text.to == PHONE
    assert "Inbrott på Storgatan" in text.body
    assert reverse("notifications:alert_answer", args=[conversation.alert_id]) in text.body
    assert Notice.objects.filter(user=area_member).count() == 1


def test_a_member_who_chose_the_app_only_gets_the_inbox_entry_alone(
    police, area_member, conversation, django_capture_on_commit_callbacks
):
    verified_phone(area_member, PHONE)
    prefer(area_member, ANSWERS, email=False, sms=False, inapp=True)

    answer(police, conversation, django_capture_on_commit_callbacks)

    assert (emails_to(area_member), sms_backends.outbox) == ([], [])
    assert Notice.objects.filter(user=area_member).count() == 1


@pytest.mark.parametrize("why", ["not verified", "quiet hours"])
def test_no_text_to_an_unverified_number_or_in_quiet_hours(
    police, area_member, conversation, why, django_capture_on_commit_callbacks
):
    prefer(area_member, ANSWERS, email=False, sms=True, inapp=True)
    if why == "not verified":
        area_member.phone = PHONE
        area_member.save(update_fields=["phone"])
        when = DAYTIME
    else:
        verified_phone(area_member, PHONE)
        when = dt.datetime(2026, 3, 10, 22, 30, tzinfo=dt.UTC)  # 23:30 in Stockholm

    with time_machine.travel(when, tick=False):
        answer(police, conversation, django_capture_on_commit_callbacks)

    assert sms_backends.outbox == []
    assert Notice.objects.filter(user=area_member).count() == 1


def test_no_e_mail_to_a_suspended_address_but_the_inbox_entry(
    police, area_member, conversation, django_capture_on_commit_callbacks
):
    BouncingAddress.objects.create(
        address_hash=address_hash(area_member.email),
        user=area_member,
        hard_bounces=3,
        suspended_at=timezone.now(),
    )

    answer(police, conversation, django_capture_on_commit_callbacks)

    assert emails_to(area_member) == []
    assert Notice.objects.filter(user=area_member).count() == 1


def test_a_report_s_step_follows_the_reporters_choice(
    area, area_member, coordinator, django_capture_on_commit_callbacks
):
    verified_phone(area_member, PHONE)
    prefer(area_member, ANSWERS, email=False, sms=True, inapp=True)
    other = member_of(area)  # reported the same thing; merged, default channels
    report = observation_in(area, reporter=area_member)
    observation_in(area, reporter=other, merged_into=report)

    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator).post(
            reverse("watch:observation_status", args=[report.pk]),
            {"status": "handling", "message": "På väg."},
        )

    assert emails_to(area_member) == []
    (text,) = sms_backends.outbox
    assert text.to == PHONE
    assert reverse("watch:my_observations") in text.body
    assert [n.path for n in Notice.objects.filter(user=area_member)] == [
        reverse("watch:my_observations")
    ]
    assert len(emails_to(other)) == 1
    assert Notice.objects.filter(user=other).count() == 1


def test_answers_are_chosen_on_the_preferences_page_and_stay_in_the_app(area_member):
    client = client_for(area_member)
    url = reverse("notifications:preferences")
    page = client.get(url).content.decode()
    assert "Answers to my replies and reports" in page
    locked = page.split(f'name="{ANSWERS}__inapp"')[1].split(">")[0]
    assert " disabled " in locked
    assert locked.endswith(" checked")

    data = {
        "quiet_hours_enabled": "on",
        "quiet_hours_start": "22:00",
        "quiet_hours_end": "07:00",
        "email_floor": "info",
        "sms_floor": "info",
        "inapp_floor": "info",
        "push_floor": "info",
        "alert_language": "sv",
        "police_alert__inapp": "on",
        f"{ANSWERS}__sms": "on",
    }
    assert client.post(url, data).status_code == 302

    choice = Preference.objects.get(user=area_member, kind=ANSWERS)
    assert (choice.email, choice.sms, choice.inapp) == (False, True, True)


def test_someone_else_s_notice_is_a_404(area, area_member):
    notice = Notice.objects.create(user=area_member, line="Svar", path="/")

    response = client_for(member_of(area)).get(reverse("notifications:notice", args=[notice.pk]))

    assert response.status_code == 404
    assert Notice.objects.get().read_at is None


def test_answers_offer_no_push_box_that_would_do_nothing(area_member, settings):
    push_service.configure(settings)
    client = client_for(area_member)
    url = reverse("notifications:preferences")
    page = client.get(url).content.decode()
    box = page.split(f'name="{ANSWERS}__push"')[1].split(">")[0]

    data = {
        "quiet_hours_start": "22:00",
        "quiet_hours_end": "07:00",
        "alert_language": "sv",
        **{f"{channel}_floor": "info" for channel in ("email", "sms", "inapp", "push")},
        f"{ANSWERS}__push": "on",
    }
    client.post(url, data)

    assert " disabled" in box
    assert " checked" not in box
    assert not Preference.objects.filter(user=area_member, kind=ANSWERS, push=True).exists()
