"""Every copy of an alert says who sent it and where it went: the e-mail (text and
HTML) and the inbox. The sender is recorded when the alert is sent, so a later change
of role does not rewrite it, and the e-mail is still rendered once per alert and
language, not once per member."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.alerts import sender
from notifications.alerts import services as alert_services
from notifications.alerts.models import (
    Alert,
    AlertStatus,
    Channel,
    Delivery,
    Kind,
    SenderRole,
    TargetKind,
)
from notifications.alerts.selectors import AlertText
from notifications.channels import email as email_channel
from tests.conftest import client_for
from tests.factories import WatchAreaFactory, alert_for, member_of
from watch.roles.models import Official, OfficialKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send an alert the way the composer does, running its tasks eagerly."""

    def _send(alert: Alert, actor) -> Alert:  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            alert_services.send_alert(actor=actor, alert=alert)
        alert.refresh_from_db()
        return alert

    return _send


def html_of(message) -> str:  # type: ignore[no-untyped-def]
    return next(body for body, kind in message.alternatives if kind == "text/html")


def inbox_entry(member, alert) -> str:  # type: ignore[no-untyped-def]
    delivery = Delivery.objects.get(alert=alert, user=member, channel=Channel.INAPP)
    page = client_for(member).get(reverse("notifications:inbox_entry", args=[delivery.pk]))
    return page.content.decode()


def test_a_police_alert_says_it_is_from_the_police_and_where_it_went(
    police, area, area_member, send
):
    alert = send(alert_for(police, area), police)

    assert (alert.sender_role, alert.sender_places) == (SenderRole.POLICE, ["Mariestad"])
    (message,) = mail.outbox
    for copy in (message.body, html_of(message), inbox_entry(area_member, alert)):
        assert "From the police in Mariestad" in copy
        assert "Sent to Marieholm" in copy
    inbox = client_for(area_member).get(reverse("notifications:inbox")).content.decode()
    assert "From the police in Mariestad · Sent to Marieholm" in inbox


def test_a_coordinators_alert_to_a_whole_municipality(coordinator, municipality, area, send):
    member = member_of(area)
    alert = alert_for(coordinator, target_kind=TargetKind.MUNICIPALITIES, kind=Kind.TIP)
    alert.target_municipalities.set([municipality])

    send(alert, coordinator)

    (message,) = mail.outbox
    assert "From the security coordinator in Mariestad" in message.body
    assert "Sent to every area in Mariestad" in message.body
    assert "From the security coordinator in Mariestad" in inbox_entry(member, alert)


def test_an_area_contacts_message_names_their_area(area_contact, area, area_member, send):
    alert = send(alert_for(area_contact, area, kind=Kind.INFORMATION), area_contact)

    assert (alert.sender_role, alert.sender_places) == (SenderRole.AREA_CONTACT, ["Marieholm"])
    assert all("From the area contact of Marieholm" in m.body for m in mail.outbox)
    start = client_for(area_member).get(reverse("watch:home")).content.decode()
    assert "From the area contact of Marieholm" in start


def test_an_alert_to_many_areas_names_five_and_counts_the_rest(police, municipality, send):
    areas = [WatchAreaFactory(municipality=municipality, name=f"Område {n}") for n in range(7)]
    member_of(areas[0])

    send(alert_for(police, *areas), police)

    (message,) = mail.outbox
    assert (
        "Sent to Område 0, Område 1, Område 2, Område 3, Område 4 and 2 other areas" in message.body
    )


def test_a_later_change_of_role_does_not_rewrite_who_sent_it(police, area, area_member, send):
    alert = send(alert_for(police, area), police)

    Official.objects.filter(user=police).update(kind=OfficialKind.COORDINATOR)

    assert "From the police in Mariestad" in inbox_entry(area_member, alert)


def test_an_alert_sent_before_senders_were_recorded_says_nothing_of_it(police, area):
    member = member_of(area)
    alert = alert_for(police, area, status="sent")
    alert.areas.set([area])
    Delivery.objects.create(
        alert=alert, user=member, area=area, channel=Channel.INAPP, status="sent"
    )

    page = inbox_entry(member, alert)

    assert "From the" not in page
    assert "Sent to Marieholm" in page


def test_the_e_mail_is_rendered_once_per_alert_and_language(police, area, send, monkeypatch):
    for language in ("sv", "sv", "sv", "en"):
        member_of(area, language=language)
    renders: list[str] = []
    render = email_channel.Letter.render

    def counting(
        alert: Alert, language: str, text: AlertText | None = None
    ) -> email_channel.Letter:
        renders.append(language)
        return render(alert, language, text)

    monkeypatch.setattr(email_channel.Letter, "render", counting)

    send(alert_for(police, area), police)

    assert len(mail.outbox) == 4
    assert sorted(renders) == ["en", "sv"]


def test_where_a_sent_alert_went_is_read_once_however_many_open_it(police, area, area_member, send):
    neighbour = member_of(area)
    alert = send(alert_for(police, area), police)
    delivery = Delivery.objects.get(alert=alert, user=neighbour, channel=Channel.INAPP)
    client = client_for(neighbour)
    client.get(reverse("notifications:inbox_entry", args=[delivery.pk]))  # reads the places
    with CaptureQueriesContext(connection) as again:
        page = client.get(reverse("notifications:inbox_entry", args=[delivery.pk]))

    assert "Sent to Marieholm" in page.content.decode()
    assert not [q for q in again.captured_queries if "watch_watcharea" in q["sql"]]
    assert "Sent to Marieholm" in inbox_entry(area_member, alert)


def test_a_renamed_area_is_named_anew_at_the_next_opening(police, area, area_member, send):
    alert = send(alert_for(police, area), police)
    assert "Sent to Marieholm" in inbox_entry(area_member, alert)

    area.name = "Marieholm norra"
    area.save()

    assert "Sent to Marieholm norra" in inbox_entry(area_member, alert)


def test_the_places_kept_are_worded_in_each_readers_language(police, area, send):
    swedish = member_of(area, language="sv")
    english = member_of(area, language="en")
    alert = send(alert_for(police, area), police)

    assert "Skickat till Marieholm" in inbox_entry(swedish, alert)
    assert "Sent to Marieholm" in inbox_entry(english, alert)
    assert "Skickat till Marieholm" in inbox_entry(swedish, alert)


def test_a_sending_alert_without_its_areas_yet_is_not_remembered_as_going_nowhere(police, area):
    alert = alert_for(police, area, status=AlertStatus.SENDING)
    assert sender.areas_line(alert) == ""

    alert.areas.set([area])  # as its dispatch does, in a transaction of its own

    assert sender.areas_line(alert) == "Sent to Marieholm"


def test_an_alert_to_whole_municipalities_is_named_as_dispatch_narrowed_it(
    coordinator, municipality, other_municipality, area
):
    # As send_alert leaves it: the municipalities chosen, the areas not yet resolved.
    alert = alert_for(
        coordinator, target_kind=TargetKind.MUNICIPALITIES, status=AlertStatus.SENDING
    )
    alert.municipalities.set([municipality, other_municipality])
    chosen = sender.areas_line(alert)

    # Dispatch found active areas in one of them only.
    alert.areas.set([area])
    alert.municipalities.set([municipality])

    assert chosen == "Sent to every area in Mariestad and Töreboda"
    assert sender.areas_line(alert) == "Sent to every area in Mariestad"
