"""Reads for the start pages: what each role sees first after logging in.

Each start page runs a fixed number of queries whatever the number of areas, members or
alerts: every list here is cut to a few rows, and counts are counted by the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from notifications.alerts import selectors as alert_selectors
from notifications.alerts.models import Alert, AlertStatus
from notifications.inbox.selectors import InboxEntry, recent_entries
from official.crisis_news import selectors as crisis_news
from official.crisis_news.models import CrisisNews
from official.police_events import selectors as police_events
from official.police_events.models import PoliceEvent
from watch import permissions
from watch.areas import selectors as area_selectors
from watch.areas import upkeep
from watch.areas.models import AreaStatus, Municipality, WatchArea
from watch.community import away
from watch.community.models import AwayNotice, Meeting, Observation
from watch.community.observations import visible_to
from watch.dates import start_of_day
from watch.households import selectors as household_selectors
from watch.households.models import Household, Interest, Membership, MembershipStatus
from watch.roles.models import OfficialKind
from watch.signs import selectors as sign_selectors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User

RECENT = 5
# Alerts a resident who is not (yet) a member sees of the area: the public ones this long.
PUBLIC_ALERT_DAYS = 90
# Join requests listed on a contact's start page; the area's page has them all.
REQUESTS_LISTED = 20


class Step:
    """Where a resident stands on the way into an area."""

    REGISTER = "register"
    JOIN = "join"
    NO_AREA = "no_area"
    WAITING = "waiting"
    MEMBER = "member"


@dataclass
class ResidentStart:
    step: str
    household: Household | None = None
    membership: Membership | None = None
    area: WatchArea | None = None
    covering: list[WatchArea] = field(default_factory=list)
    interest: Interest | None = None
    entries: list[InboxEntry] = field(default_factory=list)
    public_alerts: list[Alert] = field(default_factory=list)
    next_meeting: Meeting | None = None
    neighbours_away: list[AwayNotice] = field(default_factory=list)
    police_events: list[PoliceEvent] = field(default_factory=list)
    crisis_news: list[CrisisNews] = field(default_factory=list)


def resident_start(user: User) -> ResidentStart:
    household = household_selectors.household_of(user)
    if household is None:
        return ResidentStart(step=Step.REGISTER)
    membership = household_selectors.current_membership(household)
    if membership is not None and membership.status == MembershipStatus.APPROVED:
        area = membership.area
        return ResidentStart(
            step=Step.MEMBER,
            household=household,
            membership=membership,
            area=area,
            entries=recent_entries(user.pk, RECENT),
            next_meeting=next_meeting(Q(area=area)),
            neighbours_away=list(away.neighbour_notices(area, household=household)[:RECENT]),
            police_events=police_events.latest([area.municipality_id]),
            crisis_news=crisis_news.recent([area.municipality_id]),
        )
    if membership is not None:
        return ResidentStart(
            step=Step.WAITING,
            household=household,
            membership=membership,
            area=membership.area,
            public_alerts=public_alerts(membership.area),
        )
    covering = list(area_selectors.areas_covering(household.longitude, household.latitude))
    return ResidentStart(
        step=Step.JOIN if covering else Step.NO_AREA,
        household=household,
        area=covering[0] if covering else None,
        covering=covering,
        interest=household_selectors.interest_of(household),
        public_alerts=public_alerts(covering[0]) if covering else [],
    )


def public_alerts(area: WatchArea) -> list[Alert]:
    """The area's public alerts of the last months: what anyone may read about it."""
    since = timezone.now() - timedelta(days=PUBLIC_ALERT_DAYS)
    return list(
        Alert.objects.filter(
            areas=area, status=AlertStatus.SENT, is_public=True, sent_at__gte=since
        ).order_by("-sent_at")[:RECENT]
    )


def next_meeting(where: Q) -> Meeting | None:
    return (
        Meeting.objects.filter(where, cancelled=False, ends_at__gte=timezone.now())
        .select_related("area")
        .order_by("starts_at")
        .first()
    )


@dataclass
class ContactStart:
    areas: list[WatchArea]
    requests: list[Membership]
    request_count: int
    away_now: list[AwayNotice]
    next_meeting: Meeting | None
    observations: list[Observation]
    open_observations: int
    entries: list[InboxEntry]


def contact_start(user: User) -> ContactStart:
    """What waits for an area contact: requests to decide first."""
    mine = Q(pk__in=permissions.roles_of(user).contact_area_ids)
    areas = list(household_selectors.areas_with_counts(mine).order_by("name"))
    pending = Membership.objects.filter(
        area__in=[a.pk for a in areas], status=MembershipStatus.REQUESTED
    )
    today = timezone.localdate()
    observations = (
        visible_to(user).filter(handled_at__isnull=True)
        if permissions.can_see_observations(user)
        else Observation.objects.none()
    )
    return ContactStart(
        areas=areas,
        requests=list(
            pending.select_related("household", "requested_by", "area").order_by("requested_at")[
                :REQUESTS_LISTED
            ]
        ),
        request_count=pending.count(),
        away_now=list(
            AwayNotice.objects.filter(
                starts_on__lte=today + timedelta(days=7),
                ends_on__gte=today,
                household__memberships__area__in=[a.pk for a in areas],
                household__memberships__status=MembershipStatus.APPROVED,
            )
            .select_related("household")
            .order_by("starts_on")[:RECENT]
        ),
        next_meeting=next_meeting(Q(area__in=[a.pk for a in areas])),
        observations=list(observations[:3]),
        open_observations=observations.count(),
        entries=recent_entries(user.pk, 3),
    )


@dataclass
class Figures:
    joined: int
    pending: int
    alerts: int
    observations: int


@dataclass
class OfficialStart:
    role: StrOrPromise
    municipalities: list[str]
    # The municipalities whose public page this official edits (coordinators, admins).
    pages: list[Municipality]
    sees_observations: bool
    alerts: list[Alert]
    observations: list[Observation]
    open_observations: int
    without_contact: list[WatchArea]
    without_contact_count: int
    interest_by_municipality: list[dict[str, object]]
    figures: Figures
    police_events: list[PoliceEvent]
    unconfirmed: list[WatchArea]
    unconfirmed_count: int
    without_signs: list[WatchArea]
    without_signs_count: int


def official_start(user: User) -> OfficialStart:
    """An official's day: the alerts going out, what residents reported, the areas that
    need someone, and the month so far."""
    municipalities = permissions.administered_municipalities(user)
    month_start = start_of_day(timezone.localdate().replace(day=1))
    areas = WatchArea.objects.filter(municipality__in=Municipality.objects.filter(municipalities))
    without_contact = areas.filter(status=AreaStatus.ACTIVE, contacts__isnull=True)
    unconfirmed = upkeep.unconfirmed(areas)
    without_signs = sign_selectors.without_signs(areas)
    sees_observations = permissions.can_see_observations(user)
    visible = visible_to(user) if sees_observations else Observation.objects.none()
    observations = visible.filter(handled_at__isnull=True)
    memberships = Membership.objects.filter(area__in=areas)
    roles = permissions.roles_of(user)
    places = list(Municipality.objects.filter(municipalities).only("pk", "name", "slug"))
    return OfficialStart(
        role=OfficialKind(roles.official_kind).label if roles.official_kind else "",
        municipalities=[place.name for place in places],
        pages=[place for place in places if permissions.can_edit_municipality_page(user, place)],
        sees_observations=sees_observations,
        alerts=alert_selectors.recent_with_progress(user, RECENT),
        observations=list(observations[:3]),
        open_observations=observations.count(),
        without_contact=list(without_contact.select_related("municipality").order_by("name")[:8]),
        without_contact_count=without_contact.count(),
        interest_by_municipality=list(
            interest_counts(household_selectors.interest_in(municipalities))
        ),
        figures=Figures(
            **memberships.aggregate(
                joined=Count(
                    "pk",
                    filter=Q(status=MembershipStatus.APPROVED, decided_at__gte=month_start),
                ),
                pending=Count("pk", filter=Q(status=MembershipStatus.REQUESTED)),
            ),
            alerts=alert_selectors.visible_alerts(user)
            .filter(status=AlertStatus.SENT, sent_at__gte=month_start)
            .count(),
            observations=visible.filter(created_at__gte=month_start).count(),
        ),
        unconfirmed=list(unconfirmed.select_related("municipality").order_by("last_confirmed")[:8]),
        unconfirmed_count=unconfirmed.count(),
        without_signs=list(without_signs.select_related("municipality").order_by("name")[:8]),
        without_signs_count=without_signs.count(),
        police_events=police_events.latest(
            Municipality.objects.filter(municipalities).values_list("pk", flat=True)
        ),
    )


def interest_counts(interest: QuerySet[Interest]) -> QuerySet[Interest, dict[str, object]]:
    return (
        interest.order_by()
        .values("municipality__name")
        .annotate(households=Count("pk"))
        .order_by("municipality__name")
    )


@dataclass(frozen=True)
class AreaSections:
    """Whether the area's page has join requests, meetings ahead and households away to
    list. Most areas on most days have none of the three, and the page asks for a list
    only when there is one."""

    has_pending: bool
    has_meetings: bool
    has_away_notices: bool


def area_sections(area: WatchArea) -> AreaSections:
    """One statement where the page made up to three, whatever their rows.

    Written in SQL, as the inbox's counts are: the ORM took 1.4 ms of CPU to build the
    three EXISTS on every area page, this takes 0.1 (docs/performance.md, "a seventh
    round"). It asks what ``household_selectors.pending_requests``, ``meetings.upcoming``
    and ``away.area_notices`` list; tests/test_area_page_sections.py holds it to them.
    """
    now = Meeting._meta.get_field("ends_at").get_db_prep_value(timezone.now(), connection)
    today = AwayNotice._meta.get_field("ends_on").get_db_prep_value(
        timezone.localdate(), connection
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _AREA_SECTIONS,
            [
                *(area.pk, MembershipStatus.REQUESTED),
                *(area.pk, now),
                *(area.pk, MembershipStatus.APPROVED, today),
            ],
        )
        pending, meetings_ahead, away_notices = cursor.fetchone()
    return AreaSections(bool(pending), bool(meetings_ahead), bool(away_notices))


_AREA_SECTIONS = """
SELECT
    EXISTS (SELECT 1 FROM watch_membership WHERE area_id = %s AND status = %s),
    EXISTS (SELECT 1 FROM watch_meeting WHERE area_id = %s AND ends_at >= %s),
    EXISTS (SELECT 1 FROM watch_awaynotice AS notice
            JOIN watch_membership AS membership
                ON membership.household_id = notice.household_id
            WHERE membership.area_id = %s AND membership.status = %s
                AND notice.ends_on >= %s)
"""
