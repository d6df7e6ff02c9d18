"""A municipality's statistics: coverage, growth, alerts and their delivery, observations.

Each figure is one table (shown on the page and offered as CSV) and, where a picture
helps, a chart of the same numbers (``watch.statistics.charts``). Every figure is a fixed number
of set-based queries (GROUP BY, with ``TruncMonth`` for the monthly ones), whatever the
number of areas, households or deliveries; the same code runs on SQLite and PostgreSQL.
Monthly figures cover the last ``MONTHS`` calendar months in the site's time zone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, DateField, Q, QuerySet
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import formats, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from notifications.alerts.models import Alert, Channel, Delivery
from notifications.outbox.models import DeliveryStatus
from watch import dates
from watch.areas import upkeep
from watch.areas.models import AreaStatus, Municipality, WatchArea
from watch.community.models import Observation, ObservationCategory
from watch.households.models import Membership, MembershipStatus
from watch.statistics import charts

MONTHS = 12
FOLDED_OVER_ROWS = 6


@dataclass(frozen=True)
class Figure:
    slug: str
    title: str
    headers: list[str]
    rows: list[list[object]]
    chart: SafeString | None = None
    note: str = ""

    @property
    def as_cards_on_a_phone(self) -> bool:
        """A table of more than two columns is a card per row on a phone, each figure
        named: five columns scrolled sideways at 360 px, their headers four lines high."""
        return len(self.headers) > 2

    @property
    def table_folded(self) -> bool:
        """A long table under a chart that draws it is folded, to open for its numbers:
        twelve months of tables under their charts made the page 14,700 px on a phone."""
        return self.chart is not None and len(self.rows) > FOLDED_OVER_ROWS

    @property
    def named_cells(self) -> list[list[tuple[str, object]]]:
        """Each row's cells with the names of their columns."""
        return [list(zip(self.headers, row, strict=True)) for row in self.rows]


def month_starts(today: date, count: int = MONTHS) -> list[date]:
    """The first days of the last ``count`` months, oldest first, ending with today's."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def _month_label(month: date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def _short_month(month: date) -> str:
    """The axis label: twelve of "2026-01" do not fit; the table has the full names."""
    return formats.date_format(month, "M")


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _as_date(value: date | datetime) -> date:
    # TruncMonth into a DateField gives a date on PostgreSQL and SQLite alike; the
    # datetime branch is a safeguard for backends that return the truncated timestamp.
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


# --- Figures -------------------------------------------------------------------------------


def summary(municipality: Municipality, months: list[date]) -> Figure:
    approved = Q(status=MembershipStatus.APPROVED)
    totals = Membership.objects.filter(area__municipality=municipality).aggregate(
        households=Count("pk", filter=approved, distinct=True),
        members=Count("household__members", filter=approved, distinct=True),
        pending=Count("pk", filter=Q(status=MembershipStatus.REQUESTED), distinct=True),
    )
    total = municipality.households_total
    coverage = _percent(totals["households"], total) if total else None
    rows: list[list[object]] = [
        [_("Households in neighbourhood watch"), totals["households"]],
        [_("Members"), totals["members"]],
        [_("Pending join requests"), totals["pending"]],
        [_("Households in the municipality"), total if total else _("not configured")],
        [_("Coverage (%)"), coverage if coverage is not None else _("unknown")],
    ]
    chart = None
    if coverage is not None:
        chart = charts.bar_chart(
            chart_id="chart-summary",
            title=_("Coverage: households in neighbourhood watch, per cent"),
            labels=[_("Coverage")],
            values=[coverage],
            unit=" %",
            maximum=100,
        )
    return Figure(
        slug="summary",
        title=_("Coverage"),
        headers=[_("Figure"), _("Value")],
        rows=rows,
        chart=chart,
        note=_(
            "Coverage is the households in neighbourhood watch divided by all households "
            "in the municipality, where that number is configured."
        ),
    )


def areas(municipality: Municipality, months: list[date]) -> Figure:
    counts = dict(
        WatchArea.objects.filter(municipality=municipality)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    labels = [str(label) for label in AreaStatus.labels]
    values = [counts.get(status, 0) for status in AreaStatus.values]
    active = WatchArea.objects.filter(municipality=municipality, status=AreaStatus.ACTIVE)
    flagged = [
        [_("Active, without a contact"), active.filter(contacts__isnull=True).count()],
        [_("Active, not confirmed for 13 months"), upkeep.unconfirmed(active).count()],
    ]
    return Figure(
        slug="areas",
        title=_("Areas by status"),
        headers=[_("Status"), _("Areas")],
        rows=[[label, value] for label, value in zip(labels, values, strict=True)] + flagged,
        chart=charts.bar_chart(
            chart_id="chart-areas", title=_("Areas by status"), labels=labels, values=values
        ),
    )


def households(municipality: Municipality, months: list[date]) -> Figure:
    """Households and members at the end of each month, from the membership decisions.

    Counted backwards from today: the end of a month had today's count, less those who
    joined after it, plus those who left after it. Members are the joining households'
    members as they are today (households do not record who lived there when).
    """
    start = dates.start_of_day(months[0])
    memberships = Membership.objects.filter(area__municipality=municipality)
    joined_at = Coalesce("decided_at", "requested_at")
    joined = _by_month(
        memberships.filter(
            status__in=[MembershipStatus.APPROVED, MembershipStatus.LEFT, MembershipStatus.REMOVED]
        )
        .annotate(joined_at=joined_at)
        .filter(joined_at__gte=start),
        "joined_at",
    )
    left = _by_month(
        memberships.filter(
            status__in=[MembershipStatus.LEFT, MembershipStatus.REMOVED], ended_at__gte=start
        ),
        "ended_at",
    )
    approved = Q(status=MembershipStatus.APPROVED)
    now = memberships.aggregate(
        households=Count("pk", filter=approved, distinct=True),
        members=Count("household__members", filter=approved, distinct=True),
    )
    households_now, members_now = now["households"], now["members"]
    rows: list[list[object]] = []
    ends: list[tuple[int, int]] = []
    for month in reversed(months):
        ends.append((households_now, members_now))
        joined_h, joined_m = joined.get(month, (0, 0))
        left_h, left_m = left.get(month, (0, 0))
        households_now += left_h - joined_h
        members_now += left_m - joined_m
    ends.reverse()
    for month, (at_end_h, at_end_m) in zip(months, ends, strict=True):
        rows.append(
            [
                _month_label(month),
                joined.get(month, (0, 0))[0],
                left.get(month, (0, 0))[0],
                at_end_h,
                at_end_m,
            ]
        )
    return Figure(
        slug="households",
        title=_("Households and members over time"),
        headers=[
            _("Month"),
            _("Households joined"),
            _("Households left"),
            _("Households at month end"),
            _("Members at month end"),
        ],
        rows=rows,
        chart=charts.column_chart(
            chart_id="chart-households",
            title=_("Households and members at the end of each month"),
            labels=[_short_month(month) for month in months],
            series=[
                charts.Series(_("Households"), [h for h, _m in ends]),
                charts.Series(_("Members"), [m for _h, m in ends]),
            ],
        ),
        note=_("Members are counted as the households' members are today."),
    )


def _by_month(queryset: QuerySet[Membership], field_name: str) -> dict[date, tuple[int, int]]:
    """(households, members) per month of ``field_name``: one GROUP BY query."""
    grouped = (
        queryset.annotate(month=TruncMonth(field_name, output_field=DateField()))
        .values("month")
        .annotate(households=Count("pk", distinct=True), members=Count("household__members"))
        .order_by()
    )
    return {_as_date(row["month"]): (row["households"], row["members"]) for row in grouped}


def alerts(municipality: Municipality, months: list[date]) -> Figure:
    counts = {
        _as_date(row["month"]): row["n"]
        for row in Alert.objects.filter(
            municipalities=municipality, dispatched_at__gte=dates.start_of_day(months[0])
        )
        .annotate(month=TruncMonth("dispatched_at", output_field=DateField()))
        .values("month")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    }
    values = [counts.get(month, 0) for month in months]
    return Figure(
        slug="alerts",
        title=_("Alerts sent per month"),
        headers=[_("Month"), _("Alerts sent")],
        rows=[[_month_label(m), v] for m, v in zip(months, values, strict=True)],
        chart=charts.column_chart(
            chart_id="chart-alerts",
            title=_("Alerts sent per month"),
            labels=[_short_month(month) for month in months],
            series=[charts.Series(_("Alerts sent"), values)],
        ),
    )


def deliveries(municipality: Municipality, months: list[date]) -> Figure:
    """Per month and channel: sent, failed, not sent (members' choices), still waiting."""
    counts: dict[tuple[date, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    grouped = (
        Delivery.objects.filter(
            area__municipality=municipality,
            created_at__gte=dates.start_of_day(months[0]),
            joined_later=False,
        )
        .annotate(month=TruncMonth("created_at", output_field=DateField()))
        .values("month", "channel", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in grouped:
        counts[(_as_date(row["month"]), row["channel"])][row["status"]] += row["n"]
        totals[row["channel"]][row["status"]] += row["n"]
    rows: list[list[object]] = []
    for month in months:
        for channel, label in Channel.choices:
            by_status = counts.get((month, channel))
            if by_status:
                rows.append([_month_label(month), str(label), *_delivery_cells(by_status)])
    # Only channels that carried messages: a channel nobody used has no success rate.
    used = [(str(label), totals[c]) for c, label in Channel.choices if _attempted(totals[c])]
    return Figure(
        slug="deliveries",
        title=_("Delivery success per channel"),
        headers=[
            _("Month"),
            _("Channel"),
            _("Sent"),
            _("Failed"),
            _("Not sent"),
            _("Waiting"),
            _("Success (%)"),
        ],
        rows=rows,
        chart=charts.bar_chart(
            chart_id="chart-deliveries",
            title=_("Delivery success per channel, per cent of messages sent or failed"),
            labels=[label for label, _by_status in used],
            values=[
                _percent(by_status[DeliveryStatus.SENT], _attempted(by_status)) or 0.0
                for _label, by_status in used
            ],
            unit=" %",
            maximum=100,
        )
        if used
        else None,
        note=_(
            'Success is sent divided by sent and failed. "Not sent" follows the members\' '
            "own choices (opted out, no verified mobile number) and is not a failure."
        ),
    )


def _attempted(by_status: dict[str, int]) -> int:
    return by_status[DeliveryStatus.SENT] + by_status[DeliveryStatus.FAILED]


def _delivery_cells(by_status: dict[str, int]) -> list[object]:
    waiting = by_status[DeliveryStatus.QUEUED] + by_status[DeliveryStatus.SENDING]
    success = _percent(by_status[DeliveryStatus.SENT], _attempted(by_status))
    return [
        by_status[DeliveryStatus.SENT],
        by_status[DeliveryStatus.FAILED],
        by_status[DeliveryStatus.SKIPPED],
        waiting,
        success,  # None when nothing was tried: an empty cell in the CSV, a dash on the page
    ]


def observations(municipality: Municipality, months: list[date]) -> Figure:
    grouped: dict[str, Mapping[str, Any]] = {
        row["category"]: row
        for row in Observation.objects.filter(
            municipality=municipality, observed_at__gte=dates.start_of_day(months[0])
        )
        .values("category")
        .annotate(n=Count("pk"), handled=Count("pk", filter=Q(handled_at__isnull=False)))
        .order_by()
    }
    labels = [str(label) for label in ObservationCategory.labels]
    totals = [grouped.get(c, {}).get("n", 0) for c in ObservationCategory.values]
    handled = [grouped.get(c, {}).get("handled", 0) for c in ObservationCategory.values]
    return Figure(
        slug="observations",
        title=_("Observations per category"),
        headers=[_("Category"), _("Observations"), _("Handled"), _("Open")],
        rows=[[lab, t, h, t - h] for lab, t, h in zip(labels, totals, handled, strict=True)],
        chart=charts.bar_chart(
            chart_id="chart-observations",
            title=_("Observations per category"),
            labels=labels,
            values=totals,
        ),
    )


FIGURES: dict[str, Callable[[Municipality, list[date]], Figure]] = {
    "summary": summary,
    "areas": areas,
    "households": households,
    "alerts": alerts,
    "deliveries": deliveries,
    "observations": observations,
}


def dashboard(municipality: Municipality) -> list[Figure]:
    months = month_starts(timezone.localdate())
    return [build(municipality, months) for build in FIGURES.values()]


def figure(municipality: Municipality, slug: str) -> Figure:
    """One figure by its slug (KeyError for an unknown one)."""
    return FIGURES[slug](municipality, month_starts(timezone.localdate()))
