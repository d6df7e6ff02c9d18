"""An alert's report counts members and messages apart: a member reached by e-mail and
in the app is one member reached and two messages sent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.alerts.models import Channel, Delivery, DispatchRange
from notifications.alerts.selectors import report
from notifications.outbox.models import DeliveryStatus
from tests.conftest import client_for
from tests.factories import alert_for, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(police, area):
    alert = alert_for(police, area, status="sent")
    anna, bo, cecilia = (member_of(area) for _ in range(3))
    outcomes = [
        (anna, Channel.EMAIL, DeliveryStatus.SENT),
        (anna, Channel.INAPP, DeliveryStatus.SENT),
        (bo, Channel.EMAIL, DeliveryStatus.SENT),
        (bo, Channel.INAPP, DeliveryStatus.SENT),
        (bo, Channel.SMS, DeliveryStatus.SENT),
        (cecilia, Channel.EMAIL, DeliveryStatus.FAILED),
        (cecilia, Channel.SMS, DeliveryStatus.SKIPPED),
    ]
    for user, channel, status in outcomes:
        Delivery.objects.create(alert=alert, user=user, area=area, channel=channel, status=status)
    return alert


def test_members_reached_and_messages_sent_are_counted_apart(alert):
    counts = report(alert)

    assert (counts["members"], counts["reached"]) == (3, 2)
    assert (counts["messages_sent"], counts["messages_failed"], counts["messages_waiting"]) == (
        5,
        1,
        0,
    )
    assert [dict(row) for row in counts["by_area"]] == [
        {"area__name": "Marieholm", "members": 3, "reached": 2, "sent": 5, "failed": 1}
    ]
    # A row per status, a column per channel (e-mail, SMS, in the app, push).
    assert counts["channels"] == ["E-mail", "SMS", "In the app", "Push"]
    assert dict(counts["by_status"])["Sent"] == [2, 1, 2, 0]
    assert dict(counts["by_status"])["Not sent"] == [0, 1, 0, 0]


def test_the_report_labels_them_clearly(police, alert):
    page = client_for(police).get(reverse("notifications:alert_detail", args=[alert.pk]))

    html = page.content.decode()
    assert '<span class="stat-value">2 of 3</span> <span class="stat-label">members reached' in html
    assert '<span class="stat-value">5</span> <span class="stat-label">messages sent' in html
    # One, in the singular (it read "1 messages failed").
    assert '<span class="stat-value">1</span> <span class="stat-label">message failed' in html
    assert ">Members reached</th>" in html
    assert ">Messages sent</th>" in html
    assert 'role="rowheader">Marieholm</th>' in html
    assert 'data-label="Members reached">2 of 3</td>' in html
    assert 'data-label="Messages sent">5</td>' in html


def test_while_it_is_dispatched_the_report_says_for_how_many_members_messages_exist(police, area):
    alert = alert_for(police, area, status="sending", recipients=25_000)
    DispatchRange.objects.create(alert=alert, first_user_id=1, last_user_id=999, members=9_000)
    DispatchRange.objects.create(alert=alert, first_user_id=1000, members=1_000)

    page = client_for(police).get(reverse("notifications:alert_detail", args=[alert.pk]))

    html = page.content.decode()
    assert "Messages written for 10,000 of 25,000 members" in html
    assert '<progress id="dispatch-progress" value="10000" max="25000">' in html


def test_once_sent_the_report_no_longer_shows_dispatch_progress(police, area):
    alert = alert_for(police, area, status="sent", recipients=10)
    DispatchRange.objects.create(alert=alert, first_user_id=1, members=10)

    page = client_for(police).get(reverse("notifications:alert_detail", args=[alert.pk]))

    assert "dispatch-progress" not in page.content.decode()


def test_the_report_mentions_replies_only_once_there_are_some(police, area):
    alert = alert_for(police, area, status="sent")

    page = client_for(police).get(reverse("notifications:alert_detail", args=[alert.pk]))

    assert "have replied" not in page.content.decode()
