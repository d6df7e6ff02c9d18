"""The demo seen in a browser: a year of data on the maps, the statistics and the officials'
start page. Screenshots go to artifacts/screenshots/ (the README's are taken from them)."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from tests.browser import (
    DESKTOP,
    PHONE,
    Browsing,
    assert_no_sideways_scrolling,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
    expect,
)
from watch.areas.models import Municipality

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Bars drawn with a height: a chart of zeros has none.
DRAWN_BARS = "svg.chart rect.chart-bar:not([height='0']):not([height='0.0'])"


@pytest.fixture
def demo(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=StringIO())


def test_the_public_maps_show_the_demo_areas(browsing: Browsing, demo):
    page = browsing.page(viewport=DESKTOP)

    page.goto(reverse("watch:area_list"))

    expect(page.locator('[data-map="areas"] path.map-area')).to_have_count(26)
    # The tile server cannot be reached from the tests: the borders stand in for it.
    expect(page.locator('[data-map="areas"].map-offline path.map-border')).to_have_count(3)
    browsing.screenshot(page, "areas")
    for municipality in Municipality.objects.all():
        page.goto(reverse("watch:municipality", args=[municipality.slug]))
        polygons = page.locator('[data-map="areas"] path.map-area')
        expect(polygons.first).to_be_visible()
        assert polygons.count() == municipality.areas.filter(status="active").count()
        browsing.screenshot(page, municipality.slug)
    # Mariestad's areas, fitted on its page, are large enough to carry their names; the
    # villages of Gullspång, far apart, are dots at that zoom, and dots are not named.
    page.goto(reverse("watch:municipality", args=["mariestad"]))
    named = page.locator("[data-map='areas'] .map-area-label").filter(
        has_not=page.locator(".map-area-label-small, .map-area-label-hidden")
    )
    expect(named.first).to_be_visible()
    browsing.assert_no_script_errors()


# The smallest text a chart draws, in pixels on the screen: its CSS size times the scale
# the SVG is drawn at (a viewBox scaled a 640-unit chart's 13 px text to 7 px on a phone).
SMALLEST_CHART_TEXT = """() => Math.min(...[...document.querySelectorAll("svg.chart text")].map(
    text => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a))"""


def test_the_statistics_show_a_year_of_data(browsing: Browsing, demo):
    coordinator = User.objects.get(email="samordnare@example.com")
    mariestad = Municipality.objects.get(slug="mariestad")
    page = browsing.page(coordinator, viewport=DESKTOP)

    page.goto(reverse("watch:statistics", args=[mariestad.pk]))

    charts = page.locator("svg.chart")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 4
    for n in range(charts.count()):
        # Every chart draws something; the monthly ones a bar in most months.
        assert charts.nth(n).locator("rect.chart-bar").count() > 0
    assert page.locator(DRAWN_BARS).count() >= 40
    assert page.evaluate(SMALLEST_CHART_TEXT) >= 12
    browsing.screenshot(page, "statistics")

    phone = browsing.page(coordinator, viewport=PHONE)
    phone.goto(reverse("watch:statistics", args=[mariestad.pk]))

    assert phone.evaluate(SMALLEST_CHART_TEXT) >= 12
    # A long table is folded under its chart; open, a table of more than two columns is a
    # card per row, each number named.
    figure = phone.locator('section[aria-labelledby="figure-households"]')
    figure.locator("summary").click()
    table = figure.locator(".table-wrap table")
    assert table.evaluate("table => getComputedStyle(table).display") == "block"
    assert_no_sideways_scrolling(phone, PHONE)
    phone.locator('.contents a[href="#figure-alerts"]').click()
    expect(phone).to_have_url(re.compile("#figure-alerts$"))
    browsing.screenshot(phone, "statistics-phone")
    browsing.assert_no_script_errors()


def test_the_officials_start_page_lists_the_areas_and_requests(browsing: Browsing, demo):
    coordinator = User.objects.get(email="samordnare@example.com")
    page = browsing.page(coordinator, viewport=DESKTOP)

    page.goto(reverse("watch:manage"))

    rows = page.locator("main tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 30
    expect(page.get_by_role("row", name="Marieholm")).to_contain_text("Mariestad")
    browsing.screenshot(page, "manage")
    browsing.assert_no_script_errors()
