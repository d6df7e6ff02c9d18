"""Validators shared by every app."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Whatever a browser or a pasted text may break a line with.
_LINE_BREAK = re.compile("[\n\r\v\f\x85\u2028\u2029]")


def single_line(value: str) -> None:
    """A title, a name or an address is one line: a line break in it would split an
    e-mail subject, a calendar entry or a CSV row, or hide text in a header."""
    if _LINE_BREAK.search(value):
        raise ValidationError(
            _("Write this on one line: remove the line breaks."), code="line_break"
        )
