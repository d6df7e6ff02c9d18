"""A municipality's statistics: the numbers, the charts, the CSV, the query count."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from notifications.alerts.models import Channel, Delivery
from notifications.outbox.models import DeliveryStatus
from tests.conftest import client_for
from tests.factories import (
    HouseholdFactory,
    UserFactory,
    WatchAreaFactory,
    alert_for,
    member_of,
    resident,
)
from tests.spreadsheets import read_csv
from watch.areas.models import AreaStatus
from watch.community.models import Observation
from watch.households.models import Membership, MembershipStatus
from watch.statistics import charts
from watch.statistics import figures as statistics

pytestmark = pytest.mark.django_db


def mid_month(months_ago: int) -> datetime:
    """Noon on the 15th, ``months_ago`` calendar months back: safely inside that month."""
    month = statistics.month_starts(timezone.localdate())[-1 - months_ago]
    return timezone.make_aware(datetime.combine(month.replace(day=15), time(12)))


def table(page, slug: str) -> dict[str, list]:
    figure = next(f for f in page.context["figures"] if f.slug == slug)
    return {str(row[0]): row[1:] for row in figure.rows}


def household_in(area, status, *, members: int = 1, **fields) -> Membership:
    household = HouseholdFactory.inside(area)
    for _ in range(members):
        resident(UserFactory(), household)
    return Membership.objects.create(household=household, area=area, status=status, **fields)


@pytest.fixture
def history(municipality, area):
    """Two months ago two households joined (3 members); last month one of them left."""
    WatchAreaFactory(municipality=municipality, status=AreaStatus.PROPOSED)
    WatchAreaFactory(municipality=municipality, status=AreaStatus.PAUSED)
    stays = household_in(area, MembershipStatus.APPROVED, members=2, decided_at=mid_month(2))
    household_in(
        area,
        MembershipStatus.LEFT,
        decided_at=mid_month(2),
        ended_at=mid_month(1),
    )
    household_in(area, MembershipStatus.REQUESTED)
    return stays


def dashboard(user, municipality):
    return client_for(user).get(reverse("watch:statistics", args=[municipality.pk]))


def test_areas_households_and_coverage(coordinator, municipality, history):
    municipality.households_total = 40
    municipality.save()

    page = dashboard(coordinator, municipality)

    assert table(page, "areas") == {
        "Proposed": [1],
        "Active": [1],
        "Paused": [1],
        "Closed": [0],
        "Active, without a contact": [1],
        "Active, not confirmed for 13 months": [0],
    }
    summary = table(page, "summary")
    assert summary["Households in neighbourhood watch"] == [1]
    assert summary["Members"] == [2]
    assert summary["Pending join requests"] == [1]
    assert summary["Coverage (%)"] == [2.5]
    by_month = list(table(page, "households").values())
    # joined, left, households at month end, members at month end
    assert by_month[-3] == [2, 0, 2, 3]
    assert by_month[-2] == [0, 1, 1, 2]
    assert by_month[-1] == [0, 0, 1, 2]
    assert by_month[0] == [0, 0, 0, 0]


def test_coverage_without_a_configured_total(coordinator, municipality, history):
    page = dashboard(coordinator, municipality)

    assert table(page, "summary")["Coverage (%)"] == ["unknown"]
    assert next(f for f in page.context["figures"] if f.slug == "summary").chart is None
    assert re.search(
        r"<th scope=\"row\" role=\"rowheader\">Coverage \(%\)</th>"
        r"<td role=\"cell\" data-label=\"Value\">unknown</td>",
        page.content.decode(),
    )
    csv = read_csv(
        client_for(coordinator).get(
            reverse("watch:statistics_csv", args=[municipality.pk, "summary"])
        )
    )
    assert ["Coverage (%)", "unknown"] in csv


def test_alerts_per_month_and_delivery_success_per_channel(
    coordinator, police, municipality, area, area_c
):
    alert = alert_for(police, area, status="sent", dispatched_at=mid_month(1))
    alert.municipalities.add(municipality)
    elsewhere = alert_for(police, area_c, status="sent", dispatched_at=mid_month(1))
    elsewhere.municipalities.add(area_c.municipality)
    outcomes = [
        (Channel.EMAIL, DeliveryStatus.SENT),
        (Channel.EMAIL, DeliveryStatus.SENT),
        (Channel.EMAIL, DeliveryStatus.SENT),
        (Channel.EMAIL, DeliveryStatus.FAILED),
        (Channel.SMS, DeliveryStatus.SKIPPED),
        (Channel.INAPP, DeliveryStatus.QUEUED),
    ]
    for channel, status in outcomes:
        Delivery.objects.create(
            alert=alert,
            user=UserFactory(),
            area=area,
            channel=channel,
            status=status,
            created_at=mid_month(1),
        )
    Delivery.objects.create(
        alert=elsewhere, user=UserFactory(), area=area_c, channel=Channel.EMAIL, status="failed"
    )

    page = dashboard(coordinator, municipality)

    assert list(table(page, "alerts").values())[-2] == [1]
    assert sum(v[0] for v in table(page, "alerts").values()) == 1
    deliveries = next(f for f in page.context["figures"] if f.slug == "deliveries")
    cells = {row[1]: row[2:] for row in deliveries.rows}
    # sent, failed, not sent, waiting, success %
    assert cells["E-mail"] == [3, 1, 0, 0, 75.0]
    assert cells["SMS"] == [0, 0, 1, 0, None]
    assert cells["In the app"] == [0, 0, 0, 1, None]
    # No success rate where nothing was tried: a dash on the page, an empty cell in the CSV.
    assert 'data-label="Success (%)">\u2013</td>' in page.content.decode()  # an en dash
    assert "E-mail: 75 %" in deliveries.chart
    assert "SMS" not in deliveries.chart  # no message went by SMS: no success rate


def test_observations_per_category(coordinator, municipality, area, area_c):
    for category, handled in (("graffiti", True), ("graffiti", False), ("vandalism", False)):
        Observation.objects.create(
            municipality=municipality,
            area=area,
            category=category,
            observed_at=mid_month(0) if mid_month(0) < timezone.now() else mid_month(1),
            longitude=13.9,
            latitude=58.7,
            description="x",
            handled_at=timezone.now() if handled else None,
        )
    Observation.objects.create(
        municipality=area_c.municipality,
        category="graffiti",
        observed_at=timezone.now(),
        longitude=13.9,
        latitude=58.7,
        description="elsewhere",
    )

    rows = table(dashboard(coordinator, municipality), "observations")

    assert rows["Graffiti"] == [2, 1, 1]
    assert rows["Vandalism"] == [1, 0, 1]
    assert rows["Fly-posting"] == [0, 0, 0]


def test_every_chart_is_accessible_svg_without_inline_styles(coordinator, municipality, history):
    municipality.households_total = 10
    municipality.save()

    page = dashboard(coordinator, municipality).content.decode()

    svgs = re.findall(r'<svg[^>]* class="chart".*?</svg>', page, flags=re.S)
    assert len(svgs) >= 4
    for svg in svgs:
        assert 'role="img"' in svg
        assert re.search(r'aria-label="[^"]+"', svg)
        assert re.search(r"<title id=\"[^\"]+\">[^<]+</title>", svg)
        assert "style=" not in svg
    assert "<script" not in page.split('<main id="main"', 1)[1]
    assert "<table" in page


def test_chart_labels_are_escaped():
    svg = charts.bar_chart(
        chart_id="x", title='<b>"Title"</b>', labels=["<script>alert(1)</script>"], values=[3]
    )

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&lt;b&gt;&quot;Title&quot;&lt;/b&gt;" in svg


def test_nice_ceiling():
    assert [charts.nice_ceiling(v) for v in (0, 0.3, 1, 3, 7, 10, 11, 240)] == [
        1,
        0.5,
        1,
        5,
        10,
        10,
        20,
        500,
    ]


def test_every_figure_downloads_as_csv(police, municipality, history):
    client = client_for(police)
    for slug in statistics.FIGURES:
        response = client.get(reverse("watch:statistics_csv", args=[municipality.pk, slug]))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = read_csv(response)
        assert rows[0]  # the header, even when the period holds nothing
    households = read_csv(
        client.get(reverse("watch:statistics_csv", args=[municipality.pk, "households"]))
    )
    assert households[0][0] == "Month"
    assert len(households) == statistics.MONTHS + 1


def test_an_unknown_figure_is_not_found(coordinator, municipality):
    response = client_for(coordinator).get(
        reverse("watch:statistics_csv", args=[municipality.pk, "members"])
    )

    assert response.status_code == 404


def test_officials_without_two_factor_are_sent_to_set_it_up(municipality):
    from tests.factories import official
    from watch.roles.models import OfficialKind

    user = official(OfficialKind.COORDINATOR, municipality, mfa=False)

    response = dashboard(user, municipality)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_dashboard_runs_a_constant_number_of_queries(
    coordinator, municipality, area, police, django_assert_max_num_queries
):
    client = client_for(coordinator)
    client.get(reverse("watch:statistics", args=[municipality.pk]))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("watch:statistics", args=[municipality.pk]))
    for months_ago in range(6):
        other = WatchAreaFactory(municipality=municipality)
        for _ in range(3):
            member_of(other)
        household_in(
            other,
            MembershipStatus.LEFT,
            decided_at=mid_month(months_ago + 1),
            ended_at=mid_month(months_ago),
        )
        alert = alert_for(police, other, status="sent", dispatched_at=mid_month(months_ago))
        alert.municipalities.add(municipality)
        for channel in Channel.values:
            Delivery.objects.create(
                alert=alert,
                user=UserFactory(),
                area=other,
                channel=channel,
                status="sent",
                created_at=mid_month(months_ago),
            )
        Observation.objects.create(
            municipality=municipality,
            area=other,
            category="vandalism",
            observed_at=mid_month(months_ago) - timedelta(days=1),
            longitude=13.9,
            latitude=58.7,
            description="x",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("watch:statistics", args=[municipality.pk]))
    assert table(page, "summary")["Households in neighbourhood watch"] == [18]


def test_a_charts_figures_are_written_as_its_tables_are_in_each_language():
    for language, written in (("sv", "2,6 %"), ("en", "2.6 %")):
        with translation.override(language):
            svg = charts.bar_chart(
                chart_id="x", title="Täckningsgrad", labels=["Täckning"], values=[2.6], unit=" %"
            )
        assert f">{written}<" in svg


def test_a_long_table_under_its_chart_is_folded_and_a_short_one_is_not(
    coordinator, municipality, history
):
    page = dashboard(coordinator, municipality).content.decode()

    sections = dict(
        re.findall(
            r'<section class="figure" aria-labelledby="figure-([a-z-]+)">(.*?)</section>',
            page,
            re.S,
        )
    )
    # Twelve months under the chart of households and members: to open.
    assert "<summary>The figures, 12 rows</summary>" in sections["households"]
    assert sections["households"].index("<svg") < sections["households"].index("<details")
    # The areas by status, a short table: as it is.
    assert "<details" not in sections["areas"]
    assert 'role="rowheader">Active</th>' in sections["areas"]
