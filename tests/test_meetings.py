"""Meetings: creating, changing and cancelling them, and the invitations they send."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.alerts import services as alert_services
from notifications.alerts.models import Alert, Delivery, Kind
from notifications.channels import email
from tests.conftest import client_for
from tests.factories import MeetingFactory, WatchAreaFactory, alert_for, member_of
from watch.areas.models import AreaStatus
from watch.community.models import Meeting

pytestmark = pytest.mark.django_db


def form_data(starts_in: timedelta = timedelta(days=10), hours: float = 2, **fields: str) -> dict:
    starts_at = timezone.localtime() + starts_in
    ends_at = starts_at + timedelta(hours=hours)
    return {
        "kind": "neighbours",
        "title": "Grannmöte i Marieholm",
        "starts_at": f"{starts_at:%Y-%m-%dT%H:%M}",
        "ends_at": f"{ends_at:%Y-%m-%dT%H:%M}",
        "location": "Föreningshuset, Storgatan 1",
        "description": "Vi går igenom året; kaffe, kaka.",
        **fields,
    }


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """Post as ``user``, running the tasks queued after commit (the invitations)."""

    def _post(user, url: str, data: dict | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return client_for(user).post(url, data or {})

    return _post


def ics_of(message) -> str:
    [(filename, content, mimetype)] = [
        (a.get_filename(), a.get_payload(decode=True).decode(), a.get_content_type())
        for a in message.attachments
    ]
    assert (filename, mimetype) == ("meeting.ics", "text/calendar")
    return content


# --- Creating --------------------------------------------------------------------------------


def test_a_contact_plans_a_meeting_and_every_member_is_invited_with_a_calendar_file(
    area, area_contact, area_member, post
):
    response = post(area_contact, reverse("watch:meeting_create", args=[area.pk]), form_data())

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.area, meeting.created_by, meeting.sequence) == (area, area_contact, 0)
    alert = Alert.objects.get()
    assert (alert.kind, alert.meeting, alert.status, alert.refers_to) == (
        Kind.MEETING,
        meeting,
        "sent",
        None,
    )
    assert "Föreningshuset" in alert.body
    assert sorted(m.to[0] for m in mail.outbox) == sorted([area_member.email, area_contact.email])
    for message in mail.outbox:
        ics = ics_of(message)
        assert "METHOD:PUBLISH\r\n" in ics
        assert f"UID:meeting-{meeting.pk}@" in ics
        assert "SUMMARY:Grannmöte i Marieholm\r\n" in ics
        assert "DESCRIPTION:Vi går igenom året\\; kaffe\\, kaka.\r\n" in ics


def test_a_coordinator_plans_a_meeting_in_their_municipality(area, coordinator, post):
    response = post(coordinator, reverse("watch:meeting_create", args=[area.pk]), form_data())

    assert response.status_code == 302
    assert Meeting.objects.get().created_by == coordinator


def test_other_alerts_carry_no_calendar_file(
    area, area_member, police, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alert_services.send_alert(actor=police, alert=alert_for(police, area))

    [message] = mail.outbox
    assert message.attachments == []


def test_a_meeting_in_an_area_that_is_not_active_is_saved_but_nobody_is_told(
    municipality, coordinator, post
):
    proposed = WatchAreaFactory(municipality=municipality, status=AreaStatus.PROPOSED)

    response = post(coordinator, reverse("watch:meeting_create", args=[proposed.pk]), form_data())

    assert response.status_code == 302
    assert Meeting.objects.filter(area=proposed).exists()
    assert not Alert.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (form_data(starts_in=-timedelta(hours=1)), "starts_at", "must start in the future"),
        (form_data(hours=-1), "ends_at", "must end after it starts"),
        (form_data(hours=0), "ends_at", "must end after it starts"),
        (form_data(hours=13), "ends_at", "at most 12 hours"),
        (form_data(starts_in=timedelta(days=800)), "starts_at", "within two years"),
        (form_data(title=""), "title", "This field is required"),
        (form_data(location="x" * 201), "location", "at most 200 characters"),
        (form_data(kind="party"), "kind", "Select a valid choice"),
        (form_data(starts_at="next tuesday"), "starts_at", "Enter a valid date/time"),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(
    area, area_contact, area_member, post, data, field, message
):
    response = post(area_contact, reverse("watch:meeting_create", args=[area.pk]), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert list(errors) == [field]  # one clear message, no duplicate constraint error
    assert not Meeting.objects.exists()
    assert not Alert.objects.exists()
    assert mail.outbox == []


def test_police_may_see_the_area_but_not_plan_its_meetings(area, police, post):
    response = post(police, reverse("watch:meeting_create", args=[area.pk]), form_data())

    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_a_contact_of_another_area_cannot_plan_here(area, other_area_contact, post):
    response = post(
        other_area_contact, reverse("watch:meeting_create", args=[area.pk]), form_data()
    )

    assert response.status_code == 404
    assert not Meeting.objects.exists()


# --- Changing and cancelling -----------------------------------------------------------------


@pytest.fixture
def invited(area, area_contact, area_member, post) -> Meeting:
    """A meeting whose invitation went out; the outbox emptied."""
    post(area_contact, reverse("watch:meeting_create", args=[area.pk]), form_data())
    mail.outbox.clear()
    return Meeting.objects.get()


def test_a_change_bumps_the_sequence_and_sends_an_update_referring_to_the_invitation(
    invited, area_contact, area_member, post
):
    data = form_data(starts_in=timedelta(days=11), title="Nytt datum", notify="on")

    response = post(area_contact, reverse("watch:meeting_edit", args=[invited.pk]), data)

    assert response.status_code == 302
    invited.refresh_from_db()
    assert (invited.title, invited.sequence) == ("Nytt datum", 1)
    invitation = Alert.objects.get(refers_to=None)
    update = Alert.objects.get(refers_to=invitation)
    assert update.meeting == invited
    assert update.title.endswith("Nytt datum")
    ics = ics_of(next(m for m in mail.outbox if m.to == [area_member.email]))
    assert "SEQUENCE:1\r\n" in ics
    assert f"UID:meeting-{invited.pk}@" in ics


def test_a_quiet_change_tells_nobody(invited, area_contact, post):
    data = form_data(location="Skolan")  # "notify" unchecked

    post(area_contact, reverse("watch:meeting_edit", args=[invited.pk]), data)

    invited.refresh_from_db()
    assert (invited.location, invited.sequence) == ("Skolan", 1)
    assert Alert.objects.count() == 1
    assert mail.outbox == []


def test_a_bad_change_writes_nothing(invited, area_contact, post):
    data = form_data(hours=-2, title="Fel", notify="on")

    response = post(area_contact, reverse("watch:meeting_edit", args=[invited.pk]), data)

    assert response.status_code == 200
    invited.refresh_from_db()
    assert (invited.title, invited.sequence) == ("Grannmöte i Marieholm", 0)
    assert Alert.objects.count() == 1


def test_cancelling_sends_a_cancellation_the_calendars_understand(
    invited, area_contact, area_member, post
):
    response = post(area_contact, reverse("watch:meeting_cancel", args=[invited.pk]))

    assert response.status_code == 302
    invited.refresh_from_db()
    assert (invited.cancelled, invited.sequence) == (True, 1)
    cancellation = Alert.objects.exclude(refers_to=None).get()
    assert cancellation.refers_to == Alert.objects.get(refers_to=None)
    assert cancellation.cancels_original
    message = next(m for m in mail.outbox if m.to == [area_member.email])
    ics = ics_of(message)
    assert "METHOD:CANCEL\r\n" in ics
    assert "STATUS:CANCELLED\r\n" in ics
    assert f"ATTENDEE;ROLE=OPT-PARTICIPANT:mailto:{area_member.email}\r\n" in ics
    [attachment] = message.attachments
    assert attachment.get_param("method") == "CANCEL"


def test_a_cancelled_meeting_is_neither_cancelled_again_nor_changed(invited, area_contact, post):
    post(area_contact, reverse("watch:meeting_cancel", args=[invited.pk]))
    mail.outbox.clear()

    again = post(area_contact, reverse("watch:meeting_cancel", args=[invited.pk]))
    edit = post(area_contact, reverse("watch:meeting_edit", args=[invited.pk]), form_data())

    assert again.status_code == 302
    assert edit.status_code == 404
    invited.refresh_from_db()
    assert invited.sequence == 1
    assert Alert.objects.count() == 2
    assert mail.outbox == []


def test_the_manage_page_lists_meetings_with_their_actions(invited, area, area_contact, police):
    contact_page = client_for(area_contact).get(reverse("watch:manage_area", args=[area.pk]))
    police_page = client_for(police).get(reverse("watch:manage_area", args=[area.pk]))

    assert "Grannmöte i Marieholm" in contact_page.content.decode()
    assert reverse("watch:meeting_edit", args=[invited.pk]) in contact_page.content.decode()
    assert "Grannmöte i Marieholm" in police_page.content.decode()
    assert reverse("watch:meeting_edit", args=[invited.pk]) not in police_page.content.decode()


def test_an_e_mail_batch_loads_its_meetings_in_one_query(
    area, area_contact, django_assert_max_num_queries
):
    """The e-mail channel does not query a meeting per message."""
    meeting = MeetingFactory(area=area)
    alert = Alert.objects.create(
        author=area_contact, kind=Kind.MEETING, title="Möte", body="Välkomna", meeting=meeting
    )
    users = [member_of(area) for _ in range(20)]
    for user in users:
        Delivery.objects.create(alert=alert, user=user, area=area, channel="email")
    deliveries = list(Delivery.objects.select_related("alert", "user"))

    # One query for the meetings, one for the names of the areas the letter says it went to.
    with django_assert_max_num_queries(2):
        outcomes = [outcome for batch in email.send(deliveries) for outcome in batch]

    assert all(outcome.ok for outcome in outcomes)
    assert len(mail.outbox) == 20


def test_the_kind_is_a_group_of_two_with_the_likely_one_chosen(area, area_contact):
    client = client_for(area_contact)
    new = reverse("watch:meeting_create", args=[area.pk])

    first = client.get(new).content.decode()
    MeetingFactory(area=area)
    later = client.get(new).content.decode()

    # A fieldset named by its legend, no blank "---------" to change first.
    assert '<legend class="field-legend">Kind</legend>' in first
    assert "---------" not in first
    assert re.search(r'value="start"[^>]*checked', first)
    assert not re.search(r'value="neighbours"[^>]*checked', first)
    assert re.search(r'value="neighbours"[^>]*checked', later)


def test_a_meeting_reads_as_on_the_start_page_wherever_it_is_listed(
    area, area_member, area_contact
):
    starts = timezone.localtime() + timedelta(days=9)
    starts = starts.replace(hour=18, minute=30, second=0, microsecond=0)
    MeetingFactory(area=area, starts_at=starts, ends_at=starts + timedelta(hours=2))
    when = f"{starts:%A} {starts.day} {starts:%B}, 18:30\u201320:30"  # the site's English

    for user, url in (
        (area_member, reverse("watch:home")),
        (area_member, reverse("watch:household")),
        (area_contact, reverse("watch:manage_area", args=[area.pk])),
    ):
        assert when in client_for(user).get(url).content.decode(), url


def test_the_form_names_the_time_it_means_without_jargon(area, area_contact):
    page = client_for(area_contact).get(reverse("watch:meeting_create", args=[area.pk]))

    assert "Times are Swedish time." in page.content.decode()
    assert "Europe/Stockholm" not in page.content.decode()
