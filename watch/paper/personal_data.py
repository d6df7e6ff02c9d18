"""What paper households add to the watch app's personal data (``watch.personal_data``).

A paper household's residents have no account, so there is no one to export their
names to or to erase them for: the area contacts hold them with the household's
consent, and they go when the household stops being a member (the nightly purge) or
claims the household (``services.claim_household``). A contact's own export lists what
they recorded and delivered, without the households' names.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from accounts.models import User
from accounts.personal_data import delete_in_chunks
from watch.households.models import Household, MembershipStatus
from watch.paper.models import Letter, PaperHousehold, PaperText, SaidNo

# A "no" is kept two years: the next yearly meeting's round of letterboxes, and the one
# after, skip the address; after that a new resident may live there.
SAID_NO_RETENTION = timedelta(days=730)


def export(user: User) -> dict[str, Any]:
    return {
        "paper_households_registered": list(
            PaperHousehold.objects.filter(consent_by=user)
            .order_by("consent_at")
            .values("consent_at", "consent_how")
        ),
        "said_no_recorded": list(
            SaidNo.objects.filter(recorded_by=user)
            .order_by("recorded_at")
            .values("area__name", "recorded_at")
        ),
        "letters_delivered": list(
            Letter.objects.filter(delivered_by=user)
            .order_by("delivered_at")
            .values("alert__title", "delivered_at")
        ),
    }


def purge(now: datetime) -> dict[str, int]:
    """Paper households no longer members of any area (removed, or the area closed their
    membership) with their addresses; letters and texts after DELIVERY_RETENTION_DAYS, as
    the deliveries they stand for; "no" answers after two years."""
    ended = Household.objects.filter(paper__isnull=False).exclude(
        memberships__status=MembershipStatus.APPROVED
    )
    letter_cutoff = now - timedelta(days=settings.DELIVERY_RETENTION_DAYS)
    return {
        "paper_households": delete_in_chunks(ended),
        "letters": delete_in_chunks(Letter.objects.filter(delivered_at__lt=letter_cutoff)),
        "paper_texts": delete_in_chunks(PaperText.objects.filter(created_at__lt=letter_cutoff)),
        "said_no": delete_in_chunks(SaidNo.objects.filter(recorded_at__lt=now - SAID_NO_RETENTION)),
    }
