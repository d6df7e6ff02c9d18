"""``{% icon "name" %}``: an icon from the sprite (watch/icons.py), hidden from screen
readers: the text beside it says what it means."""

from __future__ import annotations

import functools

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

from watch.icons import ICONS

register = template.Library()


@register.simple_tag
def icon(name: str, extra_class: str = "") -> SafeString:
    return _markup(name, extra_class)


# The header alone has a dozen icons on every page; their markup depends on nothing
# but the name, the class and the sprite's URL, which is fixed for a deployment.
@functools.lru_cache(maxsize=256)
def _markup(name: str, extra_class: str) -> SafeString:
    if name not in ICONS:
        raise template.TemplateSyntaxError(f"No icon {name!r} in watch.icons.ICONS")
    return format_html(
        '<svg class="icon{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        f" {extra_class}" if extra_class else "",
        static("icons.svg"),
        name,
    )
