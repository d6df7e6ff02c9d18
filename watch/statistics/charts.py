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

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
BAR_ROW = 28
LABEL_WIDTH = 190
VALUE_WIDTH = 70
COLUMN_HEIGHT = 220
AXIS_LEFT = 48
AXIS_BOTTOM = 28
LEGEND_HEIGHT = 24
SERIES_CLASSES = 4  # chart-series-0 ... chart-series-3 in site.css


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2 or 5 times a power of ten at or above ``value``: the axis top."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 2, 5, 10) if value <= step * magnitude)


def _svg(*, chart_id: str, title: str, height: float, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'aria-labelledby="{0}-title" aria-label="{1}" viewBox="0 0 {2} {3}" '
        'preserveAspectRatio="xMinYMin meet"><title id="{0}-title">{1}</title>{4}</svg>',
        chart_id,
        title,
        WIDTH,
        _number(height),
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
    """Horizontal bars, one row per label: for categories (statuses, channels)."""
    top = maximum if maximum is not None else nice_ceiling(max(values, default=0))
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    rows = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = index * BAR_ROW
        length = span * value / top if top else 0
        text = f"{_number(value)}{unit}"
        rows.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect class="chart-bar chart-series-0" x="{}" y="{}" width="{}" height="{}">'
                "<title>{}: {}</title></rect>"
                '<text class="chart-value" x="{}" y="{}">{}</text>',
                LABEL_WIDTH - 8,
                y + 18,
                label,
                LABEL_WIDTH,
                y + 4,
                f"{length:.1f}",
                BAR_ROW - 8,
                label,
                text,
                f"{LABEL_WIDTH + length + 6:.1f}",
                y + 18,
                text,
            )
        )
    height = max(len(rows), 1) * BAR_ROW
    return _svg(chart_id=chart_id, title=title, height=height, body=_join(rows))


def column_chart(
    *, chart_id: str, title: str, labels: Sequence[str], series: Sequence[Series]
) -> SafeString:
    """Vertical columns per label (months), one colour per series, with a y axis."""
    top = nice_ceiling(max((v for s in series for v in s.values), default=0))
    legend = LEGEND_HEIGHT if len(series) > 1 else 0
    plot_top = legend + 8
    plot_height = COLUMN_HEIGHT - plot_top - AXIS_BOTTOM
    base = plot_top + plot_height
    group = (WIDTH - AXIS_LEFT) / max(len(labels), 1)
    bar = group * 0.8 / max(len(series), 1)
    parts = [_legend(series)] if legend else []
    # Counts: a middle grid line only where it falls on a whole number.
    for fraction in (0, 0.5, 1) if (top / 2).is_integer() else (0, 1):
        y = base - plot_height * fraction
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
                '<text class="chart-axis" x="{}" y="{}" text-anchor="end">{}</text>',
                AXIS_LEFT,
                WIDTH,
                f"{y:.1f}",
                f"{y:.1f}",
                AXIS_LEFT - 6,
                f"{y + 4:.1f}",
                _number(top * fraction),
            )
        )
    for index, label in enumerate(labels):
        x0 = AXIS_LEFT + index * group + group * 0.1
        for number, item in enumerate(series):
            value = item.values[index]
            height = plot_height * value / top
            parts.append(
                format_html(
                    '<rect class="chart-bar chart-series-{}" x="{}" y="{}" width="{}" '
                    'height="{}"><title>{}, {}: {}</title></rect>',
                    number % SERIES_CLASSES,
                    f"{x0 + number * bar:.1f}",
                    f"{base - height:.1f}",
                    f"{bar:.1f}",
                    f"{height:.1f}",
                    label,
                    item.label,
                    _number(value),
                )
            )
        parts.append(
            format_html(
                '<text class="chart-axis" x="{}" y="{}" text-anchor="middle">{}</text>',
                f"{AXIS_LEFT + (index + 0.5) * group:.1f}",
                base + 18,
                label,
            )
        )
    return _svg(chart_id=chart_id, title=title, height=COLUMN_HEIGHT, body=_join(parts))


def _join(parts: Sequence[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _legend(series: Sequence[Series]) -> SafeString:
    return format_html_join(
        "",
        '<rect class="chart-bar chart-series-{}" x="{}" y="6" width="12" height="12"></rect>'
        '<text class="chart-legend" x="{}" y="16">{}</text>',
        (
            (
                number % SERIES_CLASSES,
                AXIS_LEFT + number * 200,
                AXIS_LEFT + number * 200 + 18,
                s.label,
            )
            for number, s in enumerate(series)
        ),
    )
