"""``{{ code|lang_attrs }}``: the ``lang`` and ``dir`` attributes of an element that holds
an alert's text in the language ``code`` (notifications.alerts.languages).

    {% load alert_languages %}
    <div{{ text.language.code|lang_attrs }}>{{ text.title }}</div>

Arabic and Persian are laid out right to left; every value comes from the module's
own table, and is escaped all the same.
"""

from __future__ import annotations

from django import template
from django.forms.utils import flatatt
from django.utils.safestring import SafeString

from notifications.alerts import languages

register = template.Library()


@register.filter
def lang_attrs(code: str) -> SafeString:
    language = languages.of(code)
    return flatatt({"lang": language.code, "dir": language.direction})
