"""Reads of paper households, the letters to deliver to them, and the contact's list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from notifications.alerts.models import Alert, AlertStatus
from notifications.outbox.models import DeliveryStatus
from watch.areas.models import WatchArea
from watch.community.models import Meeting, MeetingKind
from watch.households.fields import address_order
from watch.households.models import Household, Membership, MembershipStatus
from watch.paper.models import Letter, PaperHousehold, PaperText, SaidNo
from watch.roles.models import AreaContact

# Letters are listed for alerts of the last 90 days: the newcomer's inbox looks back as
# far, and an older alert is no longer news worth a walk to the letterbox.
LETTERS_WINDOW = timedelta(days=90)


def paper_households(area: WatchArea) -> QuerySet[PaperHousehold]:
    """The area's approved households on paper, in address order."""
    return (
        PaperHousehold.objects.filter(
            household__memberships__area=area,
            household__memberships__status=MembershipStatus.APPROVED,
        )
        .select_related("household", "consent_by")
        .order_by("household__address_order", "pk")
    )


def paper_household_in(areas: Q, pk: int) -> PaperHousehold | None:
    """Paper household ``pk`` if it is a member of one of ``areas`` (a filter on WatchArea)."""
    return (
        paper_households_in(areas).filter(pk=pk).select_related("household", "consent_by").first()
    )


def paper_households_in(areas: Q) -> QuerySet[PaperHousehold]:
    return paper_households_of(WatchArea.objects.filter(areas).values("pk"))


def paper_households_of(area_ids: Iterable[int] | QuerySet[Any]) -> QuerySet[PaperHousehold]:
    """The approved households on paper of the areas ``area_ids`` (ids, or a query of them)."""
    return PaperHousehold.objects.filter(
        household__memberships__area_id__in=area_ids,
        household__memberships__status=MembershipStatus.APPROVED,
    )


def verified_numbers(area_ids: list[int]) -> QuerySet[PaperHousehold]:
    """The areas' approved households on paper whose number a resident verified: those
    its alerts are texted to (watch.paper.texts)."""
    return paper_households_of(area_ids).filter(phone_verified_at__isnull=False).exclude(phone="")


@dataclass(frozen=True)
class VerifiedNumber:
    paper: PaperHousehold
    area_id: int


def verified_numbers_of(household_ids: list[int]) -> dict[int, VerifiedNumber]:
    """By household id: those of ``household_ids`` still on paper, members of an area, with
    a verified number, and their area. One query."""
    found = (
        PaperHousehold.objects.filter(
            household_id__in=household_ids,
            household__memberships__status=MembershipStatus.APPROVED,
            phone_verified_at__isnull=False,
        )
        .exclude(phone="")
        .annotate(area_id=F("household__memberships__area_id"))
    )
    return {paper.household_id: VerifiedNumber(paper, paper.area_id) for paper in found}


def contact_name_of(paper: PaperHousehold) -> str:
    """The household's area contact to name to its residents; "" if it has none now."""
    area_ids = Membership.objects.filter(
        household=paper.household_id, status=MembershipStatus.APPROVED
    ).values_list("area_id", flat=True)
    return next(iter(contact_names(area_ids).values()), "")


def contact_names(area_ids: Iterable[int]) -> dict[int, str]:
    """Each area's contact to name in a text: the main one, else the longest serving."""
    names: dict[int, str] = {}
    contacts = AreaContact.objects.filter(area_id__in=area_ids).order_by(
        "-is_main", "appointed_at", "pk"
    )
    for area_id, name in contacts.values_list("area_id", "user__full_name"):
        names.setdefault(area_id, name)
    return names


def area_of(paper: PaperHousehold) -> WatchArea:
    return (
        Membership.objects.select_related("area")
        .get(household=paper.household_id, status=MembershipStatus.APPROVED)
        .area
    )


@dataclass
class AlertLetters:
    alert: Alert
    # Still waiting for the letter.
    to_deliver: list[PaperHousehold] = field(default_factory=list)
    # Texted the alert (watch.paper.texts): not waiting, though a letter may still go.
    texted: list[PaperHousehold] = field(default_factory=list)
    delivered: int = 0
    # Every household the letter is for, delivered or not: a second contact ticking
    # one the first has just marked is no error.
    household_ids: list[int] = field(default_factory=list)


def letter_alerts(area: WatchArea) -> QuerySet[Alert]:
    """Alerts that went to ``area`` lately: each is a letter to its paper households.

    Tests and exercises are left out (nobody walks a test round the streets), as are
    alerts that have expired.
    """
    now = timezone.now()
    return (
        Alert.objects.filter(
            areas=area,
            status__in=[AlertStatus.SENDING, AlertStatus.SENT],
            dispatched_at__gte=now - LETTERS_WINDOW,
            is_exercise=False,
        )
        .exclude(expires_at__lte=now)
        .order_by("-dispatched_at")
    )


def letters(area: WatchArea, households: list[PaperHousehold] | None = None) -> list[AlertLetters]:
    """Per recent alert to ``area``: the paper households still to get it as a letter,
    those texted it (whose letter is optional) and how many have had the letter. A
    household gets the alerts sent after it joined.

    ``households``: the area's paper households, when the caller has them already.
    """
    households = list(paper_households(area)) if households is None else households
    if not households:
        return []  # one query for the many areas with no household on paper
    alerts = list(letter_alerts(area))
    household_ids = [p.household_id for p in households]
    done = set(
        Letter.objects.filter(alert__in=alerts, household__in=household_ids).values_list(
            "alert_id", "household_id"
        )
    )
    texted = set(
        PaperText.objects.filter(
            alert__in=alerts, household__in=household_ids, status=DeliveryStatus.SENT
        ).values_list("alert_id", "household_id")
    )
    result = []
    for alert in alerts:
        sent = alert.dispatched_at or alert.created_at
        entry = AlertLetters(alert)
        for paper in households:
            if paper.consent_at > sent:
                continue
            entry.household_ids.append(paper.household_id)
            if (alert.pk, paper.household_id) in done:
                entry.delivered += 1
            elif (alert.pk, paper.household_id) in texted:
                entry.texted.append(paper)
            else:
                entry.to_deliver.append(paper)
        if entry.to_deliver or entry.texted or entry.delivered:
            result.append(entry)
    return result


@dataclass
class AreaPaper:
    """What the area's page shows of its paper households."""

    households: list[PaperHousehold]
    letters_to_deliver: int


def area_paper(area: WatchArea, *, any_on_paper: bool = True) -> AreaPaper:
    """``any_on_paper`` False, when the caller's rows of the area show none on paper:
    nothing to ask (most areas have none, and the question was a millisecond)."""
    if not any_on_paper:
        return AreaPaper([], 0)
    households = list(paper_households(area))
    return AreaPaper(households, sum(len(e.to_deliver) for e in letters(area, households)))


def letters_for(area: WatchArea, alert_pk: int) -> AlertLetters | None:
    return next((entry for entry in letters(area) if entry.alert.pk == alert_pk), None)


def letters_to_deliver(areas: list[WatchArea]) -> list[tuple[WatchArea, int]]:
    """(area, letters still to deliver) for the areas that have any: the start page's."""
    counts = [(area, sum(len(e.to_deliver) for e in letters(area))) for area in areas]
    return [(area, count) for area, count in counts if count]


def said_no(area: WatchArea) -> QuerySet[SaidNo]:
    return SaidNo.objects.filter(area=area).order_by("address_order", "pk")


@dataclass
class ListRow:
    """A line of the contact's household list."""

    street_address: str
    postal_code: str
    town: str
    names: list[str]
    phones: list[str]
    emails: list[str]
    how: str  # "members", "paper" or "said_no"


def household_list(area: WatchArea) -> list[ListRow]:
    """Every household of the area the contact keeps track of, in address order: member
    households with their members, paper households with their names, and the
    addresses of households that said no (nothing more)."""
    rows = []
    memberships = (
        Membership.objects.filter(area=area, status=MembershipStatus.APPROVED)
        .select_related("household__paper")
        .prefetch_related("household__members__user")
    )
    for membership in memberships:
        household: Household = membership.household
        address = (household.street_address, household.postal_code, household.town)
        paper = getattr(household, "paper", None)
        if paper is not None:
            phones = [paper.phone_display] if paper.phone else []
            rows.append(ListRow(*address, [paper.names], phones, [], "paper"))
            continue
        users = [member.user for member in household.members.all()]
        rows.append(
            ListRow(
                *address,
                [user.full_name for user in users],
                [user.phone_display for user in users if user.phone],
                [user.email for user in users],
                "members",
            )
        )
    for refusal in said_no(area):
        rows.append(
            ListRow(
                refusal.street_address, refusal.postal_code, refusal.town, [], [], [], "said_no"
            )
        )
    return sorted(rows, key=lambda row: (address_order(row.street_address), row.how))


def next_start_meeting(area: WatchArea) -> Meeting | None:
    return (
        area.meetings.filter(kind=MeetingKind.START, cancelled=False, ends_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )
