"""The inbox's lines, read in SQL, are what the ORM's ``inbox`` lists, page by page, and
say it in the language and time zone of the page that read them."""

import dataclasses
import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.utils import timezone, translation

from notifications.alerts import selectors as alert_selectors
from notifications.alerts.models import Channel, Delivery, kind_label
from notifications.inbox import selectors
from notifications.outbox.models import DeliveryStatus
from tests.factories import alert_for, member_of, version_of
from watch import dates

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_inbox(police, area, area_b):
    """A member's deliveries of every sort the inbox must keep or leave out."""
    member = member_of(area)
    someone_else = member_of(area)
    start = timezone.now() - dt.timedelta(days=1)

    def deliver(minutes: int, user=member, **fields) -> Delivery:
        alert = alert_for(
            police,
            area,
            title=f"Larm {minutes}",
            sender_role="police",
            sender_places=["Mariestad", "Töreboda"],
        )
        return Delivery.objects.create(
            **{
                "alert": alert,
                "user": user,
                "area": area,
                "channel": Channel.INAPP,
                "status": DeliveryStatus.SENT,
                "created_at": start + dt.timedelta(minutes=minutes),
                **fields,
            }
        )

    withdrawn = deliver(1)
    updated = deliver(2, read_at=start + dt.timedelta(hours=2))
    # Withdrawn by an alert that went out (to other members); a withdrawal still a draft
    # and an update withdraw nothing.
    alert_for(police, area, refers_to=withdrawn.alert, cancels_original=True, status="sent")
    alert_for(police, area, refers_to=updated.alert, cancels_original=True)
    alert_for(police, area, refers_to=updated.alert, status="sent")
    in_english = deliver(3, language="en")
    version_of(in_english.alert, "en", title="Burglary on Storgatan")
    deliver(4, language="ar")  # no version in Arabic: the Swedish title
    deliver(5, area=None)
    exercise = deliver(6)
    exercise.alert.is_exercise = True
    exercise.alert.expires_at = start + dt.timedelta(hours=1)
    exercise.alert.save()
    deliver(7, area=area_b)
    # Not in the inbox: another member's, another channel's, not yet sent.
    deliver(8, user=someone_else)
    deliver(9, channel=Channel.EMAIL)
    deliver(10, status=DeliveryStatus.QUEUED)
    return member


def values(line: selectors.InboxEntry) -> tuple:
    """A line's values, without what it says of them (derived, not compared)."""
    return tuple(getattr(line, each.name) for each in dataclasses.fields(line) if each.compare)


def _expected(user_id: int) -> list[tuple]:
    lines = []
    for delivery in selectors.inbox(user_id).select_related("alert", "area"):
        alert = delivery.alert
        version = alert.versions.filter(language=delivery.language).first()
        lines.append(
            (
                delivery.pk,
                version.title if version else alert.title,
                delivery.language if version else "",
                alert.kind,
                alert.severity,
                alert.is_exercise,
                alert.expires_at,
                alert.sender_role,
                alert.sender_places,
                delivery.area.name if delivery.area else None,
                delivery.created_at,
                delivery.read_at,
                alert_selectors.withdrawals(alert).exists(),
            )
        )
    return lines


def test_the_lines_are_the_orms_inbox_newest_first_with_the_members_titles(mixed_inbox):
    lines = selectors.entries_between(mixed_inbox.pk, 0, 100)

    assert [values(line) for line in lines] == _expected(mixed_inbox.pk)
    assert len(lines) == 7
    assert [line.title for line in lines if line.is_withdrawn] == ["Larm 1"]
    assert lines[4].title == "Burglary on Storgatan"
    assert lines[4].language == "en"
    assert lines[3].language == ""  # Arabic was asked for, but the alert has no such version
    assert all(timezone.is_aware(line.created_at) for line in lines)


def test_pages_of_lines_are_slices_of_the_inbox(mixed_inbox):
    expected = _expected(mixed_inbox.pk)
    lines = selectors.InboxLines(mixed_inbox.pk, len(expected))
    paginator = Paginator(lines, 3)

    pages = [paginator.page(number).object_list for number in paginator.page_range]

    assert [[values(line) for line in page] for page in pages] == [
        expected[0:3],
        expected[3:6],
        expected[6:7],
    ]
    assert values(lines[6]) == expected[6]
    with pytest.raises(IndexError):
        lines[7]


def test_an_empty_inbox_has_no_lines(member):
    assert selectors.entries_between(member.pk, 0, 20) == []
    assert selectors.recent_entries(member.pk, 3) == []


def test_an_empty_inbox_asks_for_no_lines(member, django_assert_num_queries):
    with django_assert_num_queries(0):
        page = Paginator(selectors.InboxLines(member.pk, 0), 20).get_page(1)

    assert list(page.object_list) == []


def test_a_line_says_its_sender_and_area_in_the_language_it_was_read_in(mixed_inbox, area):
    with translation.override("en"):
        english = selectors.entries_between(mixed_inbox.pk, 1, 2)[0]
    with translation.override("sv"):
        swedish = selectors.entries_between(mixed_inbox.pk, 1, 2)[0]
        still_english = english.meta_line  # made when read, not when shown
    with translation.override("en"):
        english_again = selectors.entries_between(mixed_inbox.pk, 1, 2)[0]

    assert english.meta_line == f"From the police in Mariestad and Töreboda · Sent to {area.name}"
    assert swedish.meta_line == f"Från polisen i Mariestad och Töreboda · Skickat till {area.name}"
    assert still_english == english.meta_line
    assert english_again.meta_line == english.meta_line
    assert values(english) == values(swedish)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_lines_kind_and_time_are_djangos_in_the_language_it_was_read_in(mixed_inbox, language):
    with translation.override(language):
        lines = selectors.entries_between(mixed_inbox.pk, 0, 100)

        assert [line.kind_label for line in lines] == [kind_label(line.kind) for line in lines]
        assert [line.created_at_display for line in lines] == [
            dates.message_datetime(line.created_at) for line in lines
        ]
    assert {line.kind_label for line in lines} != {line.kind for line in lines}


def test_a_line_is_expired_when_its_alert_had_expired_as_it_was_read(mixed_inbox):
    lines = selectors.entries_between(mixed_inbox.pk, 0, 100)
    now = timezone.now()

    assert any(line.is_expired for line in lines)
    assert [line.is_expired for line in lines] == [
        line.expires_at is not None and line.expires_at <= now for line in lines
    ]
