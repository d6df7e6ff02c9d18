"""An alert to a few hundred members, end to end, through real processes.

The alert is sent the way the web form sends it (``alert_services.send_alert`` in a
transaction); the dispatch and send tasks go through Redis to a real Celery
worker (prefork, two processes, so two workers really compete for the same
rows), which mails a real SMTP server on loopback (aiosmtpd, in this process)
and prints SMS with the console backend. What arrived at the SMTP server, what
the worker printed and the Delivery rows must all agree: each member told once
per channel, opted-out members not at all.

Needs REDIS_URL and PostgreSQL (see tests/live.py); run for example with

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/grannsamverkan_live \\
    REDIS_URL=redis://127.0.0.1:6379/13 GSV_REQUIRE_LIVE=1 \\
    .venv/bin/python -m pytest tests/test_alert_delivery_live.py -q --create-db -s
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.db.models import Count

from accounts.models import User
from notifications.alerts import services as alert_services
from notifications.alerts.models import Alert, AlertStatus, Channel, Kind, Severity, SkipReason
from notifications.outbox.models import DeliveryStatus
from notifications.preferences.models import MemberSettings
from notifications.rendering import read_unsubscribe_token
from tests.factories import (
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
    WatchAreaFactory,
    alert_for,
    member_of,
    official,
    prefer,
    resident,
    verified_phone,
)
from tests.live import (
    MESSAGE_ID,
    SMS_PRINTED,
    SMTPSink,
    Worker,
    celery_worker,
    require_live_services,
    smtp_server,
    wait_for,
)
from watch.areas.models import WatchArea
from watch.households.models import Membership, MembershipStatus
from watch.roles.models import OfficialKind

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

MEMBERS = 300
AREAS = 4
KIND = Kind.POLICE_ALERT
PENDING = [DeliveryStatus.QUEUED, DeliveryStatus.SENDING]
SENT = (DeliveryStatus.SENT, "")
OPTED_OUT = (DeliveryStatus.SKIPPED, SkipReason.OPTED_OUT)
NO_VERIFIED_PHONE = (DeliveryStatus.SKIPPED, SkipReason.NO_VERIFIED_PHONE)

Outcomes = dict[tuple[int, str], tuple[str, str]]


def mobile(n: int) -> str:
    """A Swedish mobile number from the range PTS keeps for fiction (070-174 06 05 to 99);
    consecutive ``n`` get different numbers."""
    return f"+46701740{605 + n % 95}"


@pytest.fixture
def live(settings) -> None:
    require_live_services()
    # Tasks go through Redis to the worker, not run in this process.
    settings.CELERY_TASK_ALWAYS_EAGER = False


@pytest.fixture
def smtp() -> Iterator[SMTPSink]:
    with smtp_server() as sink:
        yield sink


def send(alert: Alert, actor: User) -> None:
    """As the web form does: in a transaction, so the dispatch is queued on commit."""
    with transaction.atomic():
        alert_services.send_alert(actor=actor, alert=alert)


def wait_until_delivered(alert: Alert, worker: Worker, timeout: float) -> None:
    def done() -> bool:
        alert.refresh_from_db(fields=["status"])
        return (
            alert.status == AlertStatus.SENT
            and not alert.deliveries.filter(status__in=PENDING).exists()
        )

    try:
        wait_for(done, timeout=timeout, interval=0.2)
    except AssertionError:
        counts = Counter(alert.deliveries.values_list("channel", "status"))
        raise AssertionError(
            f"alert {alert.status} after {timeout}s, deliveries {dict(counts)};\n"
            f"worker output (tail):\n{worker.output[-5000:]}"
        ) from None


def populate(areas: list[WatchArea]) -> Outcomes:
    """MEMBERS members spread over ``areas``; return each one's expected outcomes.

    Every 3rd member has a verified mobile and wants SMS; some others want SMS
    but their number is unverified or was changed since it was verified; every
    7th (from the 3rd) turns e-mail off for police alerts.
    """
    expected: Outcomes = {}
    for i in range(MEMBERS):
        user = member_of(areas[i % len(areas)], email=f"member{i:03d}@example.org")
        email_on = i % 7 != 3
        if i % 3 == 0:
            verified_phone(user, mobile(i), quiet_hours_enabled=False)
            prefer(user, KIND, email=email_on, sms=True, inapp=True)
            sms = SENT
        elif i % 5 == 0:
            user.phone = mobile(i)
            user.save(update_fields=["phone"])
            if i % 3 == 1:  # verified once, then the number changed
                MemberSettings.objects.create(
                    user=user, verified_phone=mobile(i + 1), quiet_hours_enabled=False
                )
            prefer(user, KIND, email=email_on, sms=True, inapp=True)
            sms = NO_VERIFIED_PHONE
        else:
            if not email_on:
                prefer(user, KIND, email=False, sms=False, inapp=True)
            sms = OPTED_OUT  # SMS is off unless chosen
        expected[user.pk, Channel.EMAIL] = SENT if email_on else OPTED_OUT
        expected[user.pk, Channel.SMS] = sms
        expected[user.pk, Channel.INAPP] = SENT
    return expected


def outsiders(target: WatchArea, elsewhere: WatchArea) -> list[User]:
    """People near the alert who must not get it."""
    other_area = member_of(elsewhere, email="elsewhere@example.org")
    inactive = member_of(target, email="inactive@example.org", is_active=False)
    applicant = UserFactory(email="applicant@example.org")
    household = HouseholdFactory.inside(target)
    resident(applicant, household)
    Membership.objects.create(
        household=household, area=target, status=MembershipStatus.REQUESTED, requested_by=applicant
    )
    return [other_area, inactive, applicant]


def test_an_alert_reaches_every_member_once_per_channel_through_a_real_worker(live, smtp):
    started = time.monotonic()
    municipality = MunicipalityFactory(name="Mariestad", code="1493", slug="mariestad")
    areas = [WatchAreaFactory(municipality=municipality) for _ in range(AREAS)]
    not_targeted = WatchAreaFactory(municipality=municipality)
    police = official(OfficialKind.POLICE, municipality, email="polis@example.org")
    expected = populate(areas)
    left_out = outsiders(areas[0], not_targeted)
    alert = alert_for(police, *areas, severity=Severity.URGENT, title="Inbrott i området")
    users = {user.pk: user for user in User.objects.filter(pk__in={u for u, _ in expected})}
    set_up = time.monotonic() - started

    with celery_worker(
        "--pool=prefork",
        "--concurrency=2",
        EMAIL_URL=smtp.url,
        SMS_BACKEND="notifications.sms.backends.ConsoleBackend",
    ) as worker:
        sent_at = time.monotonic()
        send(alert, police)
        wait_until_delivered(alert, worker, timeout=60)
        delivered_in = time.monotonic() - sent_at
        sms_sent = dict(
            alert.deliveries.filter(channel=Channel.SMS, status=DeliveryStatus.SENT).values_list(
                "pk", "user_id"
            )
        )
        # The worker's stdout is read by a thread: wait until every SMS has shown up.
        wait_for(lambda: len(SMS_PRINTED.findall(worker.output)) >= len(sms_sent), timeout=10)
        output = worker.output

    # The dispatch ran in the worker, not eagerly in this process.
    assert "notifications.tasks.dispatch_alert" in output
    alert.refresh_from_db()
    assert alert.status == AlertStatus.SENT
    assert set(alert.areas.all()) == set(areas)

    # Delivery rows: one per (member, channel), each with the expected outcome.
    rows = list(alert.deliveries.values_list("pk", "user_id", "channel", "status", "reason"))
    duplicates = len(rows) - len({(user_id, channel) for _, user_id, channel, _, _ in rows})
    assert duplicates == 0
    assert not (
        alert.deliveries.values("user_id", "channel").annotate(n=Count("pk")).filter(n__gt=1)
    )
    actual = {(user_id, channel): (status, reason) for _, user_id, channel, status, reason in rows}
    assert actual.keys() == expected.keys()
    wrong = {key: (actual[key], want) for key, want in expected.items() if actual[key] != want}
    assert not wrong, (
        f"{len(wrong)} deliveries differ (actual, expected): {list(wrong.items())[:10]}"
    )
    assert not alert.deliveries.filter(user__in=left_out).exists()
    assert not alert.deliveries.filter(status=DeliveryStatus.FAILED).exists()
    email_ids = {user_id: pk for pk, user_id, channel, _, _ in rows if channel == Channel.EMAIL}

    # The SMTP server: each member who wants e-mail exactly once, nobody else.
    wanted = {
        users[user_id].email
        for (user_id, channel), outcome in expected.items()
        if channel == Channel.EMAIL and outcome == SENT
    }
    received = smtp.messages()
    per_address = Counter(address for mail in received for address in mail.rcpt_tos)
    assert set(per_address) == wanted, (
        f"missing {sorted(wanted - set(per_address))[:5]}, "
        f"unexpected {sorted(set(per_address) - wanted)[:5]}"
    )
    assert {address: n for address, n in per_address.items() if n != 1} == {}
    by_email = {user.email: user for user in users.values()}
    for mail in received:
        assert len(mail.rcpt_tos) == 1
        user = by_email[mail.rcpt_tos[0]]
        message = mail.message
        assert message["To"] == user.email
        match = MESSAGE_ID.fullmatch(message["Message-ID"])
        assert match, message["Message-ID"]
        assert int(match[1]) == email_ids[user.pk]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # A long value is folded onto the next line, so it unfolds with leading space.
        unsubscribe = message["List-Unsubscribe"].strip()
        assert unsubscribe.startswith("<")
        assert unsubscribe.endswith(">")
        token = urlsplit(unsubscribe[1:-1]).path.rstrip("/").rsplit("/", 1)[-1]
        assert read_unsubscribe_token(token) == (user.pk, KIND)
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        assert text is not None
        assert html is not None
        assert alert.title in text.get_content()
        assert alert.title in html.get_content()
        assert alert.title in message["Subject"]

    # SMS: the backend in the worker was called once per sent delivery, to the member's number.
    printed = [(to, int(ref)) for to, ref in SMS_PRINTED.findall(output)]
    assert Counter(ref for _, ref in printed) == Counter(sms_sent.keys())
    assert all(users[sms_sent[ref]].phone == to for to, ref in printed)

    counts = Counter((channel, status) for _, _, channel, status, _ in rows)
    members = len({user_id for user_id, _ in expected})
    assert members == MEMBERS
    assert counts[Channel.INAPP, DeliveryStatus.SENT] == members
    print(
        f"\nlive alert delivery: recipients={members} areas={AREAS} "
        f"emails_at_sink={len(received)} email_opted_out={counts[Channel.EMAIL, 'skipped']} "
        f"sms_sent={counts[Channel.SMS, 'sent']} sms_skipped={counts[Channel.SMS, 'skipped']} "
        f"inapp_sent={counts[Channel.INAPP, 'sent']} "
        f"skipped={sum(n for (_, status), n in counts.items() if status == 'skipped')} "
        f"duplicates={duplicates} setup={set_up:.1f}s delivered_in={delivered_in:.1f}s"
    )


class FlakySink(SMTPSink):
    """Answers 451 to some addresses at one stage for their first few attempts."""

    def __init__(self, failures: dict[str, tuple[str, int]]) -> None:
        super().__init__()
        self.failures = failures  # address → (stage, how many attempts to refuse)
        self.refused: Counter[str] = Counter()

    def refusal(self, stage: str, address: str) -> str | None:
        if address in self.failures:
            failing_stage, times = self.failures[address]
            if stage == failing_stage and self.refused[address] < times:
                self.refused[address] += 1
                return "451 4.3.0 Try again later"
        return None


def test_a_temporary_smtp_refusal_is_retried_until_the_mail_goes(live):
    """451 at RCPT for one member, at DATA for another, twice each; one solo worker.

    Each is retried with backoff (shortened to 1 s, 2 s) and goes on the third
    attempt; the member in the same batch whose mail went at once is not resent.
    """
    refusals = 2
    sink = FlakySink(
        {
            "at-rcpt@example.org": ("RCPT", refusals),
            "at-data@example.org": ("DATA", refusals),
        }
    )
    municipality = MunicipalityFactory(name="Mariestad", code="1493", slug="mariestad")
    area = WatchAreaFactory(municipality=municipality)
    police = official(OfficialKind.POLICE, municipality, email="polis@example.org")
    addresses = ["at-rcpt@example.org", "at-data@example.org", "steady@example.org"]
    members = {member_of(area, email=address).pk: address for address in addresses}
    alert = alert_for(police, area, severity=Severity.URGENT)

    with (
        smtp_server(sink),
        celery_worker(
            EMAIL_URL=sink.url,
            SMS_BACKEND="notifications.sms.backends.ConsoleBackend",
            # Retries after 1 s, then 2 s, instead of 30 s and 60 s.
            DELIVERY_BACKOFF_BASE_SECONDS="1",
        ) as worker,
    ):
        started = time.monotonic()
        send(alert, police)
        wait_until_delivered(alert, worker, timeout=30)
        took = time.monotonic() - started

    emails = {members[d.user_id]: d for d in alert.deliveries.filter(channel=Channel.EMAIL)}
    assert {address: d.status for address, d in emails.items()} == dict.fromkeys(
        addresses, DeliveryStatus.SENT
    )
    assert {address: d.attempts for address, d in emails.items()} == {
        "at-rcpt@example.org": refusals + 1,
        "at-data@example.org": refusals + 1,
        "steady@example.org": 1,
    }
    assert all(d.last_error == "" and d.next_attempt_at is None for d in emails.values())
    assert sink.refused == {"at-rcpt@example.org": refusals, "at-data@example.org": refusals}
    # Accepted once each: a refused attempt left nothing behind, a retry sent nothing twice.
    assert Counter(a for mail in sink.messages() for a in mail.rcpt_tos) == dict.fromkeys(
        addresses, 1
    )
    print(
        f"\nlive SMTP retry: attempts={ {a: d.attempts for a, d in emails.items()} } "
        f"refused={dict(sink.refused)} took={took:.1f}s"
    )
