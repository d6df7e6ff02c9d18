"""What the service worker's offline copies of the inbox are told (notifications/push/offline.py):
every page says whom it was answered for, an inbox page until when its copy may be read
and, for a session that ends with the browser, which browser-session cookie it needs.
The worker's side is tested in Chromium (tests/test_installable_app_browser.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.alerts.models import Channel, Delivery
from notifications.push.offline import SESSION_COOKIE, inbox_owner, session_token
from tests.conftest import client_for
from tests.factories import sent_public_alert

pytestmark = pytest.mark.django_db

MIDDLEWARE = "notifications.push.offline.InboxOwnerMiddleware"


@pytest.fixture
def entry(area, area_member, police) -> Delivery:
    alert = sent_public_alert(police, area, title="Inbrott på Storgatan")
    return Delivery.objects.create(
        alert=alert, user=area_member, area=area, channel=Channel.INAPP, status="sent"
    )


def session_row_end(client: Client) -> int:
    row = Session.objects.get(pk=client.cookies[settings.SESSION_COOKIE_NAME].value)
    return int(row.expire_date.timestamp())


def test_every_page_names_whom_it_was_answered_for(area_member, member):
    home = reverse("watch:home")

    assert Client().get(home)["Inbox-Owner"] == "none"
    assert Client().get(reverse("account_login"))["Inbox-Owner"] == "none"
    assert client_for(area_member).get(home)["Inbox-Owner"] == inbox_owner(area_member.pk)
    assert client_for(member).get(home)["Inbox-Owner"] == inbox_owner(member.pk)
    assert inbox_owner(member.pk) != inbox_owner(area_member.pk)


def test_data_is_not_a_page_and_names_no_one(area_member):
    client = client_for(area_member)

    for name in ("webmanifest", "service_worker", "javascript-catalog"):
        assert "Inbox-Owner" not in client.get(reverse(name))


def test_only_inbox_pages_say_until_when_their_copy_may_be_read(area_member, entry):
    client = client_for(area_member)

    for url in (
        reverse("notifications:inbox"),
        reverse("notifications:inbox_entry", args=[entry.pk]),
    ):
        response = client.get(url)
        assert response["Inbox-Owner"] == inbox_owner(area_member.pk)
        assert int(response["Inbox-Expires"]) == session_row_end(client)
    assert "Inbox-Expires" not in client.get(reverse("watch:home"))
    anonymous = Client().get(reverse("notifications:inbox"))
    assert anonymous.status_code == 302
    assert "Inbox-Expires" not in anonymous


def test_the_copies_end_with_the_session_not_after_it(area_member, entry):
    """The end is where the session's last save put it, not its age counted from now."""
    client = client_for(area_member)
    inbox = reverse("notifications:inbox")
    start = dt.datetime.now(tz=dt.UTC)
    age = settings.SESSION_COOKIE_AGE
    with time_machine.travel(start, tick=False):
        first = int(client.get(inbox)["Inbox-Expires"])

    # A day later the session still ends where it did: nothing saved it since.
    with time_machine.travel(start + dt.timedelta(days=1), tick=False):
        with CaptureQueriesContext(connection) as queries:
            later = int(client.get(inbox)["Inbox-Expires"])
        assert later == first == session_row_end(client)
        assert not [q for q in queries.captured_queries if "django_session" in q["sql"]][1:]

    # Once half its age is used up, the page saves the session, which moves its end.
    with time_machine.travel(start + dt.timedelta(seconds=age // 2 + 1), tick=False):
        moved = int(client.get(inbox)["Inbox-Expires"])
    assert moved == session_row_end(client) > first


def test_a_session_that_ends_with_the_browser_names_its_cookie(area_member, entry):
    client = client_for(area_member)
    session = client.session
    session.set_expiry(0)  # allauth's login without "Remember me"
    session.save()

    response = client.get(reverse("notifications:inbox_entry", args=[entry.pk]))

    token = session_token(session.session_key or "")
    assert response["Inbox-Session"] == token
    cookie = response.cookies[SESSION_COOKIE]
    assert cookie.value == token
    assert (cookie["expires"], cookie["max-age"]) == ("", "")  # gone with the browser
    assert cookie["httponly"] == ""  # the worker reads it
    assert cookie["samesite"] == "Strict"


def test_a_remembered_session_needs_no_browser_session_cookie(area_member, entry):
    response = client_for(area_member).get(reverse("notifications:inbox_entry", args=[entry.pk]))

    assert "Inbox-Session" not in response
    assert SESSION_COOKIE not in response.cookies


@pytest.mark.parametrize("with_session", [False, True], ids=["no-cookie", "anonymous-session"])
def test_naming_the_owner_adds_no_query(settings, area, with_session):
    """A public page costs what it did: without a session cookie the visitor is known to
    be anonymous without a query, and with one the site's header loads the user anyway."""
    client = Client()
    if with_session:
        client.get(reverse("account_login"))  # allauth keeps its state in a session
        session = client.session
        session["seen"] = True
        session.save()
    url = reverse("watch:area_detail", args=[area.pk])
    client.get(url)  # caches warm

    with CaptureQueriesContext(connection) as named:
        assert client.get(url)["Inbox-Owner"] == "none"
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]
    without = Client()  # a client loads the middleware once
    without.cookies = client.cookies
    with CaptureQueriesContext(connection) as unnamed:
        assert "Inbox-Owner" not in without.get(url)

    assert len(named.captured_queries) == len(unnamed.captured_queries)
