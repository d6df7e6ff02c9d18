"""Charts as server-rendered SVG: no JavaScript, no inline styles, readable by screen readers.

Each chart is an ``<svg role="img">`` named by its ``aria-label`` and ``<title>``; every
bar has its own ``<title>`` (label and value) for a pointer hovering it. Colours, fonts
and sizes come from classes styled in ``static/css/site.css`` (``chart-*``), so a
strict Content-Security-Policy (no ``style-src 'unsafe-inline'``) holds and the colours
follow the site's. The page shows each chart's numbers in a table next to it: the
chart is a picture of the table, never the only way to read it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Pixels down, per cent across: a chart is as wide as its column and its text stays at
# the size site.css gives it (13 px), on a phone as on a desktop. A viewBox scaled the
# whole picture instead, so a 640-unit chart's text came out at 7 px on a 360 px phone.
BAR_LABEL = 18  # a bar's label and value, on the line above it
BAR_THICKNESS = 14
BAR_GAP = 10
COLUMN_PLOT = 150
AXIS_BOTTOM = 22
LEGEND_ROW = 20
SERIES_CLASSES = 4  # chart-series-0 ... chart-series-3 in site.css


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]


def _number(value: float) -> str:
    """A figure as the tables under the charts write it: "2,6" in Swedish, "2.6" in English."""
    whole = isinstance(value, int) or float(value).is_integer()
    return str(formats.number_format(int(value) if whole else round(value, 1)))


def _percent(value: float) -> str:
    return f"{value:.2f}%"


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2 or 5 times a power of ten at or above ``value``: the axis top."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 2, 5, 10) if value <= step * magnitude)


def _svg(*, chart_id: str, title: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'aria-labelledby="{0}-title" aria-label="{1}" width="100%" height="{2}">'
        '<title id="{0}-title">{1}</title>{3}</svg>',
        chart_id,
        title,
        height,
        body,
    )


def bar_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    unit: str = "",
    maximum: float | None = None,
) -> SafeString:
    """Horizontal bars, one per label, each under its label and value: for categories
    (statuses, channels). A label above its bar has the chart's whole width, however
    narrow the screen."""
    top = maximum if maximum is not None else nice_ceiling(max(values, default=0))
    row = BAR_LABEL + BAR_THICKNESS + BAR_GAP
    rows = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = index * row
        text = f"{_number(value)}{unit}"
        rows.append(
            format_html(
                '<text class="chart-label" x="0" y="{}">{}</text>'
                '<text class="chart-value" x="100%" y="{}" text-anchor="end">{}</text>'
                '<rect class="chart-bar chart-series-0" x="0" y="{}" width="{}" height="{}">'
                "<title>{}: {}</title></rect>",
                y + BAR_LABEL - 5,
                label,
                y + BAR_LABEL - 5,
                text,
                y + BAR_LABEL,
                _percent(100 * value / top if top else 0),
                BAR_THICKNESS,
                label,
                text,
            )
        )
    height = max(len(rows), 1) * row - BAR_GAP
    return _svg(chart_id=chart_id, title=title, height=height, body=_join(rows))


def column_chart(
    *, chart_id: str, title: str, labels: Sequence[str], series: Sequence[Series]
) -> SafeString:
    """Vertical columns per label (months), one colour per series, with grid lines whose
    counts sit at the left edge, over the columns."""
    top = nice_ceiling(max((v for s in series for v in s.values), default=0))
    legend = LEGEND_ROW * len(series) if len(series) > 1 else 0
    # Room above the top grid line for its count.
    base = legend + 16 + COLUMN_PLOT
    group = 100 / max(len(labels), 1)
    bar = group * 0.8 / max(len(series), 1)
    parts = [_legend(series)] if legend else []
    for index, label in enumerate(labels):
        x0 = index * group + group * 0.1
        for number, item in enumerate(series):
            value = item.values[index]
            height = COLUMN_PLOT * value / top
            parts.append(
                format_html(
                    '<rect class="chart-bar chart-series-{}" x="{}" y="{}" width="{}" '
                    'height="{}"><title>{}, {}: {}</title></rect>',
                    number % SERIES_CLASSES,
                    _percent(x0 + number * bar),
                    f"{base - height:.1f}",
                    _percent(bar),
                    f"{height:.1f}",
                    label,
                    item.label,
                    _number(value),
                )
            )
        parts.append(
            format_html(
                '<text class="chart-axis" x="{}" y="{}" text-anchor="middle">{}</text>',
                _percent((index + 0.5) * group),
                base + 16,
                label,
            )
        )
    # Counts: a middle grid line only where it falls on a whole number; the base line
    # needs no "0". Drawn after the columns, so a count stays readable where a column
    # reaches its line.
    parts.append(
        format_html('<line class="chart-grid" x1="0" x2="100%" y1="{0}" y2="{0}"></line>', base)
    )
    for fraction in (0.5, 1) if (top / 2).is_integer() else (1,):
        y = base - COLUMN_PLOT * fraction
        parts.append(
            format_html(
                '<line class="chart-grid" x1="0" x2="100%" y1="{}" y2="{}"></line>'
                '<text class="chart-axis chart-count" x="0" y="{}">{}</text>',
                f"{y:.1f}",
                f"{y:.1f}",
                f"{y - 4:.1f}",
                _number(top * fraction),
            )
        )
    return _svg(chart_id=chart_id, title=title, height=base + AXIS_BOTTOM, body=_join(parts))


def _join(parts: Sequence[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _legend(series: Sequence[Series]) -> SafeString:
    """One line per series: two names side by side would not fit a phone."""
    return format_html_join(
        "",
        '<rect class="chart-bar chart-series-{}" x="0" y="{}" width="12" height="12"></rect>'
        '<text class="chart-legend" x="18" y="{}">{}</text>',
        (
            (number % SERIES_CLASSES, number * LEGEND_ROW + 2, number * LEGEND_ROW + 12, s.label)
            for number, s in enumerate(series)
        ),
    )
