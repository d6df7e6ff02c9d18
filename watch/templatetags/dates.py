"""``{{ value|message_datetime }}``: when a message was sent, as every list of messages
and its own page say it (watch.dates.message_datetime).

    {% load dates %}
    <span class="muted">{{ notice.created_at|message_datetime }}</span>
"""

from __future__ import annotations

from django import template

from watch import dates

register = template.Library()
register.filter("message_datetime", dates.message_datetime)
