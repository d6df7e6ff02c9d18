"""Rate limits: allauth's on signup, login and password reset, and config/ratelimit.py's on
join requests, invitations and alerts. Past a limit the answer is 429 and nothing is written
or sent; the site's own limits reset when their window is over."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from config.ratelimit import DEFAULT_RATE_LIMITS, parse_rate
from notifications.alerts.models import Alert, AlertStatus, Delivery
from notifications.sms import backends as sms_backends
from tests.conftest import client_for, compose
from tests.factories import DEFAULT_PASSWORD, HouseholdFactory, alert_for, resident
from watch.audit.models import AuditEntry
from watch.community.models import Meeting, Observation
from watch.households.models import Membership

pytestmark = pytest.mark.django_db

TOO_MANY = "You have tried this too many times"
START = dt.datetime(2026, 11, 25, 10, 0, 30, tzinfo=dt.UTC)


def allowed(action: str) -> int:
    return int(settings.ACCOUNT_RATE_LIMITS[action].split(",")[0].split("/")[0])


def assert_too_many(response) -> None:
    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()


# --- allauth: signup, login, password reset --------------------------------------------------


def signup_data(email: str, password: str) -> dict[str, str]:
    return {"email": email, "password1": password, "password2": password, "full_name": "Ny Person"}


def test_signups_past_the_limit_create_no_account_and_send_no_mail(client):
    for attempt in range(allowed("signup")):  # 20 a minute from one address
        response = client.post(
            reverse("account_signup"), signup_data(f"typo{attempt}@example.org", "x")
        )
        assert response.status_code == 200  # the form with its error
    users, sent = User.objects.count(), len(mail.outbox)

    response = client.post(
        reverse("account_signup"), signup_data("new@example.org", "a-long-and-fresh-passphrase")
    )

    assert_too_many(response)
    assert User.objects.count() == users
    assert not User.objects.filter(email="new@example.org").exists()
    assert len(mail.outbox) == sent == 0


def test_logins_past_the_limit_are_refused_even_with_the_right_password(client, member):
    for _ in range(allowed("login")):  # 30 a minute from one address
        assert client.post(reverse("account_login"), {}).status_code == 200

    response = client.post(
        reverse("account_login"), {"login": member.email, "password": DEFAULT_PASSWORD}
    )

    assert_too_many(response)
    assert "_auth_user_id" not in client.session


def test_password_resets_past_the_limit_send_no_more_mail(client, member):
    for _ in range(5):  # 5 a minute for one address ("5/m/key")
        response = client.post(reverse("account_reset_password"), {"email": member.email})
        assert response.status_code == 302
    assert len(mail.outbox) == 5

    response = client.post(reverse("account_reset_password"), {"email": member.email})

    assert_too_many(response)
    assert len(mail.outbox) == 5


def test_the_password_reset_limit_per_address_is_configured():
    assert "5/m/key" in settings.ACCOUNT_RATE_LIMITS["reset_password"]


# --- The site's own limits --------------------------------------------------------------------


@dataclass
class Limited:
    """One limited action: a client, a POST that is refused by the view (it still counts),
    a POST that would write, and what that write is (a number that must not change)."""

    action: str
    client: Client
    wasted: Callable[[], object]
    real: Callable[[], object]
    written: Callable[[], int]


@pytest.fixture
def join(member, area) -> Limited:
    resident(member, HouseholdFactory.inside(area))
    client = client_for(member)
    return Limited(
        "join",
        client,
        wasted=lambda: client.post(reverse("watch:join", args=[999_999])),
        real=lambda: client.post(reverse("watch:join", args=[area.pk])),
        written=lambda: Membership.objects.count() + len(mail.outbox),
    )


@pytest.fixture
def household_invite(area_member) -> Limited:
    client = client_for(area_member)
    url = reverse("watch:household_invite")
    return Limited(
        "household_invite",
        client,
        wasted=lambda: client.post(url, {"email": "not an address"}),
        real=lambda: client.post(url, {"email": "granne@example.org"}),
        written=lambda: len(mail.outbox),
    )


@pytest.fixture
def area_invite(area_contact, area) -> Limited:
    client = client_for(area_contact)
    url = reverse("watch:area_invite", args=[area.pk])
    return Limited(
        "area_invite",
        client,
        wasted=lambda: client.post(url, {"email": "not an address"}),
        real=lambda: client.post(url, {"email": "granne@example.org"}),
        written=lambda: len(mail.outbox) + AuditEntry.objects.count(),
    )


@pytest.fixture
def alert_create(police, area) -> Limited:
    client = client_for(police)
    return Limited(
        "alert_create",
        client,
        wasted=lambda: compose(client, target_areas=[area.pk], title=""),
        real=lambda: compose(client, target_areas=[area.pk]),
        written=lambda: Alert.objects.count(),
    )


@pytest.fixture
def alert_send(police, area, area_member) -> Limited:
    client = client_for(police)
    already_sent = alert_for(police, area, status=AlertStatus.SENT)
    draft = alert_for(police, area)
    return Limited(
        "alert_send",
        client,
        wasted=lambda: client.post(reverse("notifications:alert_send", args=[already_sent.pk])),
        real=lambda: client.post(reverse("notifications:alert_send", args=[draft.pk])),
        written=lambda: (
            Delivery.objects.count() + Alert.objects.exclude(status=AlertStatus.DRAFT).count()
        ),
    )


ACTIONS = ["join", "household_invite", "area_invite", "alert_create", "alert_send"]


# Real commits: invitations and alerts go out after the transaction commits.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", ACTIONS)
def test_past_the_limit_nothing_is_written_until_the_window_is_over(request, action):
    limited: Limited = request.getfixturevalue(action)
    amount, window = parse_rate(DEFAULT_RATE_LIMITS[action])
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(amount):
            assert limited.wasted().status_code in (302, 200, 404)
        before = limited.written()

        response = limited.real()

        assert_too_many(response)
        assert 0 < int(response["Retry-After"]) <= window
        assert limited.written() == before

        traveller.shift(int(response["Retry-After"]))
        response = limited.real()

        assert response.status_code == 302
        assert limited.written() > before


@pytest.mark.django_db(transaction=True)
def test_the_limit_is_per_user(member, area_member, area):
    amount, _window = parse_rate(DEFAULT_RATE_LIMITS["household_invite"])
    url = reverse("watch:household_invite")
    spammer = client_for(area_member)
    for _ in range(amount + 1):
        spammer.post(url, {"email": "not an address"})
    assert_too_many(spammer.post(url, {"email": "granne@example.org"}))
    resident(member, HouseholdFactory.inside(area))

    response = client_for(member).post(url, {"email": "granne@example.org"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_pages_are_not_counted_only_posts(police):
    client = client_for(police)
    amount, _window = parse_rate(DEFAULT_RATE_LIMITS["alert_create"])

    for _ in range(amount + 1):
        assert client.get(reverse("notifications:alert_create")).status_code == 200


# Noon UTC: a day's window then has half a day left, more than any hourly default's.
@time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC), tick=False)
def test_a_deployment_can_set_its_own_limits(settings, member, area):
    settings.RATE_LIMITS = {"join": "1/d"}
    resident(member, HouseholdFactory.inside(area))
    client = client_for(member)

    client.post(reverse("watch:join", args=[999_999]))
    response = client.post(reverse("watch:join", args=[area.pk]))

    assert_too_many(response)
    assert 3600 < int(response["Retry-After"]) <= 86400
    assert not Membership.objects.exists()


@pytest.mark.parametrize(("rate", "parsed"), [("10/h", (10, 3600)), ("5/15m", (5, 900))])
def test_rates_are_parsed(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["10", "ten/h", "10/w", "10/xm", "/h"])
def test_a_malformed_rate_is_refused(rate):
    with pytest.raises(ValueError, match="not a rate limit"):
        parse_rate(rate)


def test_verification_texts_to_one_account_are_limited(member):
    """Each code is a paid text to a number the member typed: no SMS pumping through it."""
    member.phone = "+46701740650"
    member.save()
    client = client_for(member)
    url = reverse("notifications:phone_send_code")
    amount, window = parse_rate(DEFAULT_RATE_LIMITS["phone_code"])
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(amount):
            assert client.post(url).status_code == 302
            traveller.shift(61)  # past the service's one-minute wait between codes
        assert len(sms_backends.outbox) == amount

        response = client.post(url)

        assert_too_many(response)
        assert len(sms_backends.outbox) == amount
        assert 0 < int(response["Retry-After"]) <= window


def meeting_form(starts_at: dt.datetime) -> dict[str, str]:
    return {
        "kind": "neighbours",
        "title": "Grannmöte",
        "starts_at": f"{starts_at:%Y-%m-%dT18:00}",
        "ends_at": f"{starts_at:%Y-%m-%dT20:00}",
        "location": "Föreningshuset",
        "notify": "on",
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("view", ["create", "edit"])
def test_meeting_invitations_count_as_alerts_sent(view, area_contact, area, area_member):
    """A meeting saved is an alert to the whole area: no way around the alert limit."""
    client = client_for(area_contact)
    already_sent = alert_for(area_contact, area, status=AlertStatus.SENT)
    amount, _window = parse_rate(DEFAULT_RATE_LIMITS["alert_send"])
    data = meeting_form(START + dt.timedelta(days=30))
    with time_machine.travel(START, tick=False):
        if view == "create":
            url = reverse("watch:meeting_create", args=[area.pk])
        else:
            assert (
                client.post(reverse("watch:meeting_create", args=[area.pk]), data).status_code
                == 302
            )
            url = reverse("watch:meeting_edit", args=[Meeting.objects.get().pk])
            data["location"] = "Skolan"
        for _ in range(amount):
            client.post(reverse("notifications:alert_send", args=[already_sent.pk]))
        alerts, meetings = Alert.objects.count(), list(Meeting.objects.values_list("location"))

        response = client.post(url, data)

        assert_too_many(response)
        assert Alert.objects.count() == alerts
        assert list(Meeting.objects.values_list("location")) == meetings


def test_observation_reports_past_the_limit_store_and_send_nothing(area_member, area):
    """Each report mails the area's contacts and may carry a photo to store."""
    client = client_for(area_member)
    url = reverse("watch:observation_report")
    amount, _window = parse_rate(DEFAULT_RATE_LIMITS["observation"])
    lon, lat = (area.min_lon + area.max_lon) / 2, (area.min_lat + area.max_lat) / 2
    report = {
        "category": "graffiti",
        "observed_at": f"{START - dt.timedelta(hours=2):%Y-%m-%dT%H:%M}",
        "longitude": f"{lon:.6f}",
        "latitude": f"{lat:.6f}",
        "description": "Tags on the bus shelter",
    }
    with time_machine.travel(START, tick=False):  # all in one window
        for _ in range(amount):
            assert client.post(url, {}).status_code == 200  # the form with its errors

        response = client.post(url, report)

    assert_too_many(response)
    assert not Observation.objects.exists()
    assert len(mail.outbox) == 0
