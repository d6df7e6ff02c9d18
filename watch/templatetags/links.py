"""``{% link_url %}`` and ``{% pk_url %}``: ``{% url %}`` for the links every page or every
row has, through ``watch.shortcuts.link_url`` and ``pk_url`` (reversed once per process).

    {% load links %}
    <a href="{% link_url 'watch:home' %}">…</a>
    <a href="{% pk_url 'watch:members_csv' area.pk %}">…</a>

``{% url %}`` reverses on every render: in ``timeit`` on a loaded machine about 50 µs a
link, where these took 6 to 9 (docs/performance.md, "a ninth round"). ``pk_url`` is
only for a URL whose one argument is an ``<int:pk>``; anything else stays ``{% url %}``.
"""

from __future__ import annotations

from django import template

from watch import shortcuts

register = template.Library()
register.simple_tag(shortcuts.link_url, name="link_url")
register.simple_tag(shortcuts.pk_url, name="pk_url")
