"""A worker renders an alert once per language, and again only when it has changed.

An alert to a whole municipality reaches a worker in many batches; the letter
(``channels.email.letter``) is kept between them. A correction made meanwhile
(in the admin) goes out corrected, a meeting invitation is rendered with each
batch (its calendar file shows the meeting as it stands), and a worker keeps a
bounded number of letters.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.template import engines
from django.utils import timezone

from notifications.alerts.models import Alert, AlertStatus, Channel, Delivery
from notifications.channels import email
from tests.factories import MeetingFactory, alert_for, member_of
from watch.community.models import Meeting

pytestmark = pytest.mark.django_db


def test_the_same_alert_is_rendered_once_per_language(police, area) -> None:
    alert = alert_for(police, area)

    swedish = email.letter(alert, "sv")

    assert email.letter(alert, "sv") is swedish
    assert email.letter(Alert.objects.get(pk=alert.pk), "sv") is swedish
    assert email.letter(alert, "en") is not swedish


def test_a_letter_is_kept_while_its_alert_goes_out(police, area) -> None:
    alert = alert_for(police, area, status=AlertStatus.SENDING, dispatched_at=timezone.now())
    first = email.letter(alert, "sv")

    # Dispatch finishes while the workers send.
    Alert.objects.filter(pk=alert.pk).update(status=AlertStatus.SENT, sent_at=timezone.now())

    assert email.letter(Alert.objects.get(pk=alert.pk), "sv") is first


def test_an_alert_corrected_since_is_rendered_again(police, area) -> None:
    alert = alert_for(police, area, title="Inbrott på Storgatn")
    email.letter(alert, "sv")

    alert.title = "Inbrott på Storgatan"
    alert.save()

    assert "Inbrott på Storgatan" in email.letter(alert, "sv").subject


def test_a_kept_invitation_carries_the_meeting_as_it_is_at_each_batch(police, area) -> None:
    meeting = MeetingFactory(area=area, location="Föreningshuset")
    alert = alert_for(police, area, meeting=meeting)
    first, second = (
        Delivery.objects.create(alert=alert, user=member_of(area), channel=Channel.EMAIL)
        for _ in range(2)
    )

    list(email.send([first]))
    Meeting.objects.filter(pk=meeting.pk).update(location="Skolan", sequence=1)
    list(email.send([second]))

    calendars = [
        part.get_payload(decode=True).decode()
        for message in mail.outbox
        for part in message.message().walk()
        if part.get_content_type() == "text/calendar"
    ]
    assert ["LOCATION:Föreningshuset" in calendars[0], "LOCATION:Skolan" in calendars[1]] == [
        True,
        True,
    ]
    assert email.letter(alert, "sv") is email.letter(alert, "sv")


def test_a_worker_keeps_a_bounded_number_of_letters(police, area) -> None:
    alerts = [alert_for(police, area, title=f"Varning {n}") for n in range(40)]

    letters = [email.letter(alert, "sv") for alert in alerts]

    assert len(email._recent) == email._RECENT_LETTERS
    # The oldest went first; the newest is still kept.
    assert email.letter(alerts[-1], "sv") is letters[-1]
    assert email.letter(alerts[0], "sv") is not letters[0]


def test_a_worker_prepares_letters_before_it_forks_without_touching_the_database(
    django_assert_num_queries,
) -> None:
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()

    with django_assert_num_queries(0):
        email.warm_up()

    compiled = {key.split(":")[0] for key in loader.get_template_cache}
    assert {"emails/alert.txt", "emails/alert.html", "emails/alert_subject.txt"} <= compiled
