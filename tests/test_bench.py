"""The fan-out benchmark at N = 1,000, for correctness rather than speed.

The same code as ``python -m bench fanout`` (see bench/fanout.py): 1,000 members
in 20 areas, a police alert through ``services.send_alert``, a real Celery worker
with two processes, e-mail to an SMTP server on loopback. Every member must get
exactly one e-mail and one in-app entry, members with a verified mobile one SMS,
the others a recorded "opted out" — nothing missing, nothing twice.

Needs REDIS_URL and PostgreSQL (see tests/live.py).
"""

from __future__ import annotations

import time

import pytest

from bench import email_cost, fanout, seed
from notifications.alerts.models import Channel, Delivery
from notifications.outbox.models import DeliveryStatus
from notifications.preferences.models import MemberSettings, Preference
from tests.live import require_live_services
from watch.areas.geometry import shapes
from watch.households.models import HouseholdMember, Membership, MembershipStatus

pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True)]

N = 1000
SMS_EVERY = 10


@pytest.fixture
def live(settings) -> None:
    require_live_services()
    settings.CELERY_TASK_ALWAYS_EAGER = False


def test_the_fan_out_benchmark_tells_every_member_once_per_channel(live):
    started = time.monotonic()

    result = fanout.run(N, area_count=20, workers=2, sms_every=SMS_EVERY)

    assert result.problems == []
    assert result.emails_at_sink == N
    sent = DeliveryStatus.SENT
    assert result.deliveries == {
        (Channel.EMAIL, sent): N,
        (Channel.INAPP, sent): N,
        (Channel.SMS, sent): N // SMS_EVERY,
        (Channel.SMS, DeliveryStatus.SKIPPED): N - N // SMS_EVERY,
    }
    print(
        f"\nbench fan-out N={N}: send {result.send_s * 1000:.0f} ms, "
        f"all final {result.final_s:.1f} s, took {time.monotonic() - started:.1f} s in all"
    )


def test_the_seeded_areas_do_not_overlap_and_carry_their_bounding_boxes():
    """Without save(), bulk_create would leave the indexed bounding box to the seed."""
    areas = seed.areas(seed.municipality(), 30)

    for area in areas:
        assert (area.min_lon, area.min_lat, area.max_lon, area.max_lat) == (
            shapes.bbox_of(area.shape).as_tuple()
        )
        others = ((other.pk, other.shape) for other in areas if other.pk != area.pk)
        assert shapes.overlapping(area.shape, others) == []


def test_the_seeded_members_are_approved_and_one_in_ten_texts():
    areas = seed.areas(seed.municipality(), 3)

    members = seed.members(areas, 25, sms_every=10)

    assert len(members.user_ids) == 25
    assert HouseholdMember.objects.filter(user_id__in=members.user_ids).count() == 25
    approved = Membership.objects.filter(status=MembershipStatus.APPROVED)
    assert approved.count() == 13  # two members per household
    assert {m.area_id for m in approved} == {area.pk for area in areas}
    assert len(members.sms_user_ids) == 3
    texting = MemberSettings.objects.filter(user_id__in=members.sms_user_ids)
    assert all(s.verified_phone and not s.quiet_hours_enabled for s in texting)
    assert Preference.objects.filter(user_id__in=members.sms_user_ids, sms=True).count() == 3


def test_the_e_mail_cost_breakdown_times_every_step_of_real_sends():
    emails = 150

    cost = email_cost.measure(emails)

    assert cost.emails == emails
    assert Delivery.objects.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENT).count() == (
        emails
    )
    calls = {step.label: step.calls for step in cost.steps}
    assert calls["claim a batch of 100"] == 2
    assert calls["the member's copy: token, links, merged bytes"] == emails
    assert calls["smtplib: MAIL, RCPT, DATA"] == emails
    assert calls["record the outcome (one UPDATE)"] >= emails
    assert 0 < sum(step.cpu_s for step in cost.steps) <= cost.cpu_s
    assert cost.raw_cpu_s > 0
