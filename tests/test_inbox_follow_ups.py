"""An alert later withdrawn or updated says so where a member reads it: its line in the
inbox and on the start page is marked withdrawn, its page names the withdrawal or the
newest update with a link to the member's copy, and an update links back to what it
updates. An alert that did not reach the member is never named."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.alerts import selectors as alert_selectors
from notifications.alerts import services as alert_services
from notifications.alerts.models import Alert, Delivery
from tests.conftest import client_for
from tests.factories import alert_for, member_of, version_of
from watch import dates

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(police, django_capture_on_commit_callbacks):
    def send(area, title: str, **fields: object) -> Alert:
        alert = alert_for(police, area, title=title, **fields)
        with django_capture_on_commit_callbacks(execute=True):
            alert_services.send_alert(actor=police, alert=alert)
        return alert

    return send


def copy_url(alert: Alert, member) -> str:
    copy = Delivery.objects.get(alert=alert, user=member, channel="inapp")
    return reverse("notifications:inbox_entry", args=[copy.pk])


def line_of(page: str, title: str) -> str:
    return re.search(rf"{title}.*?</li>", page, re.S).group()


def test_a_withdrawn_alert_says_so_and_links_the_withdrawal(area, send):
    member = member_of(area)
    original = send(area, "Falska vattenavläsare")
    withdrawal = send(
        area, "Återkallad: falska vattenavläsare", refers_to=original, cancels_original=True
    )
    client = client_for(member)

    inbox = client.get(reverse("notifications:inbox")).content.decode()
    start = client.get(reverse("watch:home")).content.decode()
    original_page = client.get(copy_url(original, member)).content.decode()
    withdrawal_page = client.get(copy_url(withdrawal, member)).content.decode()

    for page in (inbox, start):
        assert "Withdrawn</span>" in line_of(page, "Falska vattenavläsare")
        assert "Withdrawn</span>" not in line_of(page, "Återkallad")
    banner = re.search(r'<p class="banner banner-warning" id="withdrawn">.*?</p>', original_page)
    assert "Withdrawn" in banner.group()
    assert f'href="{copy_url(withdrawal, member)}"' in banner.group()
    assert re.search(
        rf'Cancels: <a href="{copy_url(original, member)}"[^>]*>Falska vattenavläsare</a>',
        withdrawal_page,
    )


def test_an_updated_alert_links_its_newest_update_and_the_update_links_back(area, send):
    member = member_of(area)
    original = send(area, "Inbrott i villor")
    send(area, "Uppdatering 1", refers_to=original)
    newest = send(area, "Uppdatering 2", refers_to=original)
    client = client_for(member)

    original_page = client.get(copy_url(original, member)).content.decode()
    update_page = client.get(copy_url(newest, member)).content.decode()
    inbox = client.get(reverse("notifications:inbox")).content.decode()

    banner = re.search(r'<p class="banner" id="updated">.*?</p>', original_page).group()
    assert re.search(rf'href="{copy_url(newest, member)}"[^>]*>Uppdatering 2</a>', banner)
    assert 'id="withdrawn"' not in original_page
    assert re.search(
        rf'Update of: <a href="{copy_url(original, member)}"[^>]*>Inbrott i villor</a>', update_page
    )
    assert "Withdrawn</span>" not in inbox


def test_a_withdrawal_that_did_not_reach_the_member_is_not_named(area, area_b, send):
    member = member_of(area)
    original = send(area, "Cykelstölder")
    send(area_b, "Återkallad: cykelstölder", refers_to=original, cancels_original=True)
    client = client_for(member)

    page = client.get(copy_url(original, member)).content.decode()

    banner = re.search(r'<p class="banner banner-warning" id="withdrawn">.*?</p>', page).group()
    assert "Withdrawn" in banner
    assert "<a " not in banner
    assert "Återkallad" not in page
    assert alert_selectors.withdrawals(original).exists()


def test_a_withdrawal_still_a_draft_withdraws_nothing(area, police, send):
    member = member_of(area)
    original = send(area, "Cykelstölder")
    alert_for(police, area, title="Återkallad", refers_to=original, cancels_original=True)

    page = client_for(member).get(copy_url(original, member)).content.decode()

    assert 'id="withdrawn"' not in page
    assert 'id="updated"' not in page
    assert not alert_selectors.withdrawals(original).exists()


def test_a_message_page_asks_the_same_number_of_queries_however_many_follow_ups(area, send):
    member = member_of(area)
    original = send(area, "Inbrott")
    client = client_for(member)
    client.get(copy_url(original, member))
    with CaptureQueriesContext(connection) as alone:
        client.get(copy_url(original, member))
    for number in range(3):
        send(area, f"Uppdatering {number}", refers_to=original)
    with CaptureQueriesContext(connection) as followed:
        client.get(copy_url(original, member))

    assert len(followed) == len(alone)


def test_a_follow_up_is_named_in_the_language_the_member_was_sent(area, send):
    member = member_of(area)
    original = send(area, "Inbrott i villor")
    update = send(area, "Uppdatering", refers_to=original)
    version_of(update, "en", title="Update: burglaries")
    Delivery.objects.filter(alert=update, user=member).update(language="en")

    page = client_for(member).get(copy_url(original, member)).content.decode()

    banner = re.search(r'<p class="banner" id="updated">.*?</p>', page).group()
    assert re.search(r'<a href="[^"]+" dir="ltr" lang="en">Update: burglaries</a>', banner)


def test_a_withdrawal_still_going_out_withdraws_from_the_first_copies(area, send):
    """A large withdrawal is "sending" until its last copies are queued: a member who has
    theirs already is told, and so is the original's line."""
    member = member_of(area)
    original = send(area, "Falska vattenavläsare")
    withdrawal = send(area, "Återkallad", refers_to=original, cancels_original=True)
    Alert.objects.filter(pk=withdrawal.pk).update(status="sending")
    client = client_for(member)

    page = client.get(copy_url(original, member)).content.decode()
    inbox = client.get(reverse("notifications:inbox")).content.decode()

    assert (
        f'href="{copy_url(withdrawal, member)}"'
        in re.search(r'id="withdrawn">.*?</p>', page).group()
    )
    assert "Withdrawn</span>" in line_of(inbox, "Falska vattenavläsare")


def test_the_banner_gives_the_time_the_members_copy_came_as_its_line_does(area, send):
    member = member_of(area)
    original = send(area, "Falska vattenavläsare")
    withdrawal = send(area, "Återkallad", refers_to=original, cancels_original=True)
    copy = Delivery.objects.get(alert=withdrawal, user=member, channel="inapp")
    came = Alert.objects.get(pk=withdrawal.pk).sent_at - dt.timedelta(minutes=1)
    Delivery.objects.filter(pk=copy.pk).update(created_at=came)

    page = client_for(member).get(copy_url(original, member)).content.decode()

    banner = re.search(r'id="withdrawn">.*?</p>', page).group()
    assert f"Withdrawn {dates.message_datetime(came)}." in banner
