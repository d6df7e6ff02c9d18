"""``{{ value|short_datetime }}``: ``value|date:"SHORT_DATETIME_FORMAT"``, for lists of
many rows (watch.dates.short_datetime).

    {% load dates %}
    <span class="muted">{{ entry.created_at|short_datetime }}</span>
"""

from __future__ import annotations

from django import template

from watch import dates

register = template.Library()
register.filter("short_datetime", dates.short_datetime)
