"""A meeting invitation and its cancellation through a real worker and a real SMTP server.

What arrives over the wire must still be a valid calendar part: text/calendar
with the same method as the calendar's METHOD, CRLF line ends intact after
transfer encoding, the same UID in both messages and a higher SEQUENCE in the
cancellation. Needs REDIS_URL and PostgreSQL (see tests/live.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from notifications.alerts.models import Alert, AlertStatus
from notifications.outbox.models import DeliveryStatus
from tests.factories import WatchAreaFactory, member_of
from tests.live import SMTPSink, celery_worker, go_live, smtp_server, wait_for
from watch.community import meetings
from watch.community.meetings import MeetingDetails
from watch.roles.models import AreaContact

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

MEMBERS = 5


@pytest.fixture
def smtp() -> Iterator[SMTPSink]:
    with smtp_server() as sink:
        yield sink


def calendar_parts(sink: SMTPSink) -> dict[str, list[tuple[str, str]]]:
    """Per recipient, (method parameter, calendar text) of each received calendar part."""
    parts: dict[str, list[tuple[str, str]]] = {}
    for received in sink.messages():
        message = received.message
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                body = part.get_payload(decode=True).decode()
                parts.setdefault(message["To"], []).append((part.get_param("method"), body))
    return parts


def all_sent() -> bool:
    alerts = Alert.objects.all()
    return (
        alerts.exists()
        and not alerts.exclude(status=AlertStatus.SENT).exists()
        and not alerts.filter(
            deliveries__channel="email", deliveries__status=DeliveryStatus.QUEUED
        ).exists()
        and not alerts.filter(
            deliveries__channel="email", deliveries__status=DeliveryStatus.SENDING
        ).exists()
    )


def test_the_invitation_and_the_cancellation_arrive_as_calendar_updates(settings, smtp):
    go_live(settings)
    area = WatchAreaFactory()
    contact = member_of(area, email="kontakt@example.org")
    AreaContact.objects.create(area=area, user=contact)
    members = [member_of(area, email=f"member{i}@example.org") for i in range(MEMBERS)]
    starts_at = timezone.now() + timedelta(days=14)
    details = MeetingDetails(
        kind="neighbours",
        title="Grannmöte; vår, höst",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        location="Föreningshuset",
        description="Kaffe\noch kaka",
    )

    with celery_worker(EMAIL_URL=smtp.url) as worker:
        with transaction.atomic():
            meeting = meetings.create_meeting(actor=contact, area=area, details=details)
        wait_for(all_sent, timeout=60)
        with transaction.atomic():
            meetings.cancel_meeting(actor=contact, meeting=meeting)
        wait_for(lambda: Alert.objects.count() == 2 and all_sent(), timeout=60)
        wait_for(lambda: len(smtp.messages()) == 2 * (MEMBERS + 1), timeout=10)
        assert "Traceback" not in worker.output

    parts = calendar_parts(smtp)
    assert set(parts) == {user.email for user in [contact, *members]}
    for address, [(first_method, first), (second_method, second)] in parts.items():
        assert (first_method, second_method) == ("PUBLISH", "CANCEL")
        assert "\r\nMETHOD:PUBLISH\r\n" in first
        assert "\r\nSUMMARY:Grannmöte\\; vår\\, höst\r\n" in first
        assert "\r\nDESCRIPTION:Kaffe\\noch kaka\r\n" in first
        uid = next(line for line in first.split("\r\n") if line.startswith("UID:"))
        assert f"\r\n{uid}\r\n" in second
        assert "\r\nSEQUENCE:0\r\n" in first
        assert "\r\nSEQUENCE:1\r\n" in second
        assert "\r\nSTATUS:CANCELLED\r\n" in second
        assert f"\r\nATTENDEE;ROLE=OPT-PARTICIPANT:mailto:{address}\r\n" in second
