"""Replies to an alert: a member answers the sender privately from the inbox entry or the
e-mail; the sender and the officials of its municipalities (an area contact's message:
the area's contacts) read the conversations with unread counts, answer — the member is
told by their channels (tests/test_answers_by_channel.py) — and close them. Nobody else
sees a reply; a member answers only what they were sent; the sender can turn replies off."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from notifications.alerts.models import Alert, Delivery, SenderRole
from notifications.replies.models import Conversation, Reply
from tests.conftest import client_for
from tests.factories import member_of
from tests.photos import photo_bytes
from watch.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def sent(author, area, *, sender_role=SenderRole.POLICE, **fields) -> Alert:
    """An alert that went to every member of ``area`` in the app."""
    alert = Alert.objects.create(
        author=author,
        kind=fields.pop("kind", "police_alert"),
        title="Inbrott på Storgatan",
        body="Hör av er om ni sett något.",
        status="sent",
        sender_role=sender_role,
        **fields,
    )
    alert.areas.add(area)
    alert.municipalities.add(area.municipality)
    return alert


def received(alert, member) -> None:
    Delivery.objects.create(
        alert=alert, user=member, area=alert.areas.get(), channel="inapp", status="sent"
    )


def test_a_reply_reaches_the_sender_and_the_answer_reaches_the_member(
    police, coordinator, area, area_member, django_capture_on_commit_callbacks
):
    alert = sent(police, area)
    received(alert, area_member)

    client_for(area_member).post(
        reverse("notifications:alert_answer", args=[alert.pk]), {"text": "En vit bil i natt."}
    )

    report = client_for(coordinator).get(reverse("notifications:alert_detail", args=[alert.pk]))
    assert "1 member has replied (1 unread)" in report.content.decode()
    conversation = Conversation.objects.get()
    listing = client_for(police).get(reverse("notifications:alert_conversations", args=[alert.pk]))
    assert "Unread" in listing.content.decode()
    thread = client_for(police).get(reverse("notifications:conversation", args=[conversation.pk]))
    assert "En vit bil i natt." in thread.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(police).post(
            reverse("notifications:conversation", args=[conversation.pk]), {"text": "Tack!"}
        )

    [notice] = [m for m in mail.outbox if m.to == [area_member.email]]
    assert "Inbrott på Storgatan" in notice.subject
    assert reverse("notifications:alert_answer", args=[alert.pk]) in notice.body
    page = client_for(area_member).get(reverse("notifications:alert_answer", args=[alert.pk]))
    assert "Tack!" in page.content.decode()
    assert [(r.from_member, r.text) for r in Reply.objects.all()] == [
        (True, "En vit bil i natt."),
        (False, "Tack!"),
    ]
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == [
        "reply_written",
        "reply_answered",
    ]
    listing = client_for(police).get(reverse("notifications:alert_conversations", args=[alert.pk]))
    assert "Unread" not in listing.content.decode()


def test_no_reply_is_shown_to_other_members_or_other_areas(
    police, area, area_b, area_member, other_area_contact, area_contact
):
    alert = sent(police, area)
    received(alert, area_member)
    client_for(area_member).post(
        reverse("notifications:alert_answer", args=[alert.pk]), {"text": "Hemligt."}
    )
    conversation = Conversation.objects.get()
    neighbour = member_of(area)
    received(alert, neighbour)

    own_page = client_for(neighbour).get(reverse("notifications:alert_answer", args=[alert.pk]))
    assert "Hemligt." not in own_page.content.decode()
    for outsider in (neighbour, area_contact, other_area_contact):
        thread = client_for(outsider).get(
            reverse("notifications:conversation", args=[conversation.pk])
        )
        assert thread.status_code == 404


def test_a_member_answers_only_what_they_were_sent(police, area, area_member):
    alert = sent(police, area)

    response = client_for(area_member).post(
        reverse("notifications:alert_answer", args=[alert.pk]), {"text": "Hej"}
    )

    assert response.status_code == 404
    assert not Conversation.objects.exists()


def test_an_area_contacts_message_is_answered_by_the_areas_contacts(
    area_contact, coordinator, area, area_member
):
    alert = sent(area_contact, area, sender_role=SenderRole.AREA_CONTACT, kind="information")
    received(alert, area_member)
    client_for(area_member).post(
        reverse("notifications:alert_answer", args=[alert.pk]), {"text": "Jag kommer."}
    )
    conversation = Conversation.objects.get()

    contact = client_for(area_contact).get(
        reverse("notifications:conversation", args=[conversation.pk])
    )
    official = client_for(coordinator).get(
        reverse("notifications:conversation", args=[conversation.pk])
    )

    assert contact.status_code == 200
    assert official.status_code == 404


def test_the_sender_turns_replies_off(police, area, area_member):
    alert = sent(police, area, replies_allowed=False)
    received(alert, area_member)

    entry = client_for(area_member).get(
        reverse("notifications:inbox_entry", args=[Delivery.objects.get().pk])
    )
    response = client_for(area_member).post(
        reverse("notifications:alert_answer", args=[alert.pk]), {"text": "Hej"}
    )

    assert "Answer the sender" not in entry.content.decode()
    assert "turned replies off" in response.content.decode()
    assert not Reply.objects.exists()


def test_a_closed_conversation_takes_no_more_messages(police, area, area_member):
    alert = sent(police, area)
    received(alert, area_member)
    client_for(area_member).post(
        reverse("notifications:alert_answer", args=[alert.pk]), {"text": "Första."}
    )
    conversation = Conversation.objects.get()

    client_for(police).post(reverse("notifications:conversation_close", args=[conversation.pk]))
    again = client_for(area_member).post(
        reverse("notifications:alert_answer", args=[alert.pk]), {"text": "Andra."}
    )

    assert "This conversation has been closed." in again.content.decode()
    assert Reply.objects.count() == 1
    assert AuditEntry.objects.filter(action="conversation_closed").count() == 1


def test_replies_are_in_the_export_and_go_with_the_account(police, area, area_member):
    alert = sent(police, area)
    received(alert, area_member)
    client = client_for(area_member)
    client.post(reverse("notifications:alert_answer", args=[alert.pk]), {"text": "Min text."})

    data = client.get(reverse("accounts:data_export")).json()
    assert [r["text"] for r in data["replies"]] == ["Min text."]

    from accounts.services import delete_account

    delete_account(user=area_member)
    assert not Reply.objects.exists()


def test_e_mail_copies_link_to_the_answer_page_when_replies_are_on(police, area):
    from notifications.channels.email import letter

    on = letter(sent(police, area), "en")
    off = letter(sent(police, area, replies_allowed=False), "en")

    assert "Answer the sender (privately):" in on.text
    assert "Answer the sender" not in off.text


def test_a_photo_goes_to_the_handlers_cleaned_and_to_nobody_else(
    police, area, area_member, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    alert = sent(police, area)
    received(alert, area_member)
    upload = SimpleUploadedFile("bil.jpg", photo_bytes("JPEG"))

    client_for(area_member).post(
        reverse("notifications:alert_answer", args=[alert.pk]),
        {"text": "Bilen.", "photo": upload},
    )

    reply = Reply.objects.get()
    assert reply.photo.name.startswith("replies/")
    assert "bil" not in reply.photo.name
    with Image.open(reply.photo.path) as image:
        assert not image.getexif()
    url = reverse("notifications:reply_photo", args=[reply.pk])
    assert client_for(police).get(url).status_code == 200
    assert client_for(area_member).get(url).status_code == 200
    assert client_for(member_of(area)).get(url).status_code == 404
    path = reply.photo.path

    from accounts.services import delete_account

    delete_account(user=area_member)
    assert not Path(path).exists()


def test_conversations_go_with_the_alerts_deliveries(police, area, area_member, settings, tmp_path):
    import datetime as dt

    import time_machine

    from accounts import services as account_services

    settings.MEDIA_ROOT = tmp_path
    alert = sent(police, area, sent_at=dt.datetime(2025, 1, 10, tzinfo=dt.UTC))
    received(alert, area_member)
    client_for(area_member).post(
        reverse("notifications:alert_answer", args=[alert.pk]),
        {"text": "Bilen.", "photo": SimpleUploadedFile("bil.png", photo_bytes("PNG"))},
    )
    path = Path(Reply.objects.get().photo.path)

    with time_machine.travel(dt.datetime(2026, 1, 11, tzinfo=dt.UTC), tick=False):
        counts = account_services.purge_expired_records()

    assert (counts["replies"], counts["conversations"]) == (1, 1)
    assert not Conversation.objects.exists()
    assert not path.exists()
