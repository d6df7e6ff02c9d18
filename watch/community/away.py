"""Away notices, the digital *grannlapp*: "our household is away from … to …".

A member of an approved household tells the area's contacts, and if they choose
the other members of the area, when the household is away. Contacts see the
current and upcoming notices of their areas on their management page; members
see the ones meant for neighbours on their household page. A notice is shown
only while its household is still an approved member of the area and until its
return date; after that a daily task deletes it (``watch.tasks.purge_away_notices``),
because where a household is away is nobody's business once they are back.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from watch.areas.models import WatchArea
from watch.community.models import AwayNotice
from watch.households import selectors as household_selectors
from watch.households.models import Household, MembershipStatus

MAX_DAYS = 90
# Enough for every trip of a season; a cap keeps one household from flooding the lists.
MAX_OPEN_NOTICES = 10


def check_period(starts_on: date, ends_on: date) -> None:
    """Raise a ValidationError keyed by field if the dates make no sense."""
    today = timezone.localdate()
    if starts_on < today:
        raise ValidationError({"starts_on": _("The first day cannot be in the past.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The return date must be on or after the first day.")})
    if ends_on - starts_on > timedelta(days=MAX_DAYS):
        raise ValidationError(
            {"ends_on": _("An away notice can cover at most %(days)d days.") % {"days": MAX_DAYS}}
        )


def _approved_household(user: User) -> Household:
    household = household_selectors.household_of(user)
    membership = household_selectors.current_membership(household) if household else None
    if household is None or membership is None or membership.status != MembershipStatus.APPROVED:
        raise ValidationError(
            _("Your household must be a member of a watch area to leave an away notice.")
        )
    return household


def create_notice(
    *, user: User, starts_on: date, ends_on: date, tell_neighbours: bool, note: str
) -> AwayNotice:
    check_period(starts_on, ends_on)
    household = _approved_household(user)
    if open_notices(household).count() >= MAX_OPEN_NOTICES:
        raise ValidationError(
            _("Your household already has %(count)d away notices. Delete one first.")
            % {"count": MAX_OPEN_NOTICES}
        )
    return AwayNotice.objects.create(
        household=household,
        starts_on=starts_on,
        ends_on=ends_on,
        tell_neighbours=tell_neighbours,
        note=note,
        created_by=user,
    )


def delete_notice(*, user: User, notice: AwayNotice) -> None:
    """Delete one of the user's own household's notices."""
    if not notice.household.members.filter(user=user).exists():
        raise PermissionDenied
    notice.delete()


def purge_past() -> int:
    """Delete notices whose return date has passed; return how many."""
    deleted, _rows = AwayNotice.objects.filter(ends_on__lt=timezone.localdate()).delete()
    return deleted


# --- Reads -------------------------------------------------------------------------------


def open_notices(household: Household) -> QuerySet[AwayNotice]:
    """The household's notices that are current or upcoming."""
    return household.away_notices.filter(ends_on__gte=timezone.localdate()).order_by("starts_on")


def area_notices(area: WatchArea) -> QuerySet[AwayNotice]:
    """Current and upcoming notices of the area's approved households, for its contacts."""
    return (
        AwayNotice.objects.filter(
            ends_on__gte=timezone.localdate(),
            household__memberships__area=area,
            household__memberships__status=MembershipStatus.APPROVED,
        )
        .select_related("household")
        .order_by("starts_on", "household__address_order")
    )


def neighbour_notices(area: WatchArea, *, household: Household) -> QuerySet[AwayNotice]:
    """The notices other households of the area chose to show their neighbours."""
    return area_notices(area).filter(tell_neighbours=True).exclude(household=household)
