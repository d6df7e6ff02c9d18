"""Two area contacts decide the same join request at the same moment: exactly one wins.

Two real transactions on PostgreSQL, in two threads with connections of their own: the
first approves and holds its transaction open; the second declines meanwhile and waits
for the row; when the first commits, the second's conditional update finds the request
decided and refuses, writing nothing.
"""

from __future__ import annotations

import os
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from tests.factories import HouseholdFactory, UserFactory, member_of, resident
from tests.live import a_query_waits_for_a_lock, wait_for
from watch.audit.models import AuditAction, AuditEntry
from watch.households import services
from watch.households.models import Membership, MembershipStatus
from watch.roles.models import AreaContact

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if connection.vendor != "postgresql":
        reason = "needs PostgreSQL: SQLite takes one writer at a time"
        if os.environ.get("GSV_REQUIRE_LIVE") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def test_of_two_contacts_deciding_at_once_exactly_one_wins(area):
    first, second = (member_of(area) for _ in range(2))
    for contact in (first, second):
        AreaContact.objects.create(area=area, user=contact)
    applicant = UserFactory()
    resident(applicant, household := HouseholdFactory.inside(area))
    request = Membership.objects.create(household=household, area=area, requested_by=applicant)
    approved = threading.Event()
    commit = threading.Event()
    outcome: dict[str, object] = {}

    def approve() -> None:
        try:
            with transaction.atomic():
                services.approve_request(actor=first, membership=request)
                approved.set()
                commit.wait(timeout=30)
            outcome["first"] = "approved"
        finally:
            connection.close()

    def decline() -> None:
        try:
            services.decline_request(actor=second, membership=request, reason="Too late")
            outcome["second"] = "declined"
        except ValidationError as error:
            outcome["second"] = error.messages
        finally:
            connection.close()

    approver = threading.Thread(target=approve)
    approver.start()
    assert approved.wait(timeout=30)
    decliner = threading.Thread(target=decline)
    decliner.start()
    wait_for(a_query_waits_for_a_lock, timeout=30)  # the decline waits for the approval
    commit.set()
    approver.join(timeout=30)
    decliner.join(timeout=30)

    assert outcome == {
        "first": "approved",
        "second": ["This request has already been handled."],
    }
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (MembershipStatus.APPROVED, first)
    decisions = AuditEntry.objects.filter(
        action__in=[AuditAction.REQUEST_APPROVED, AuditAction.REQUEST_DECLINED]
    )
    assert list(decisions.values_list("action", flat=True)) == [AuditAction.REQUEST_APPROVED]
