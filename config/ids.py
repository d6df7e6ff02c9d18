"""Ids from outside (addresses, query strings, forms), checked before the database sees
them: SQLite raises OverflowError for an integer past 64 bits, ``str.isdigit()`` is true
of "²", which ``int()`` refuses, and Python refuses a string of over 4,300 digits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def as_id(value: object) -> int | None:
    """``value`` as an id a primary key column can hold (64-bit signed), else None."""
    text = str(value).strip()
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 19):
        return None
    number = int(text)
    return number if -(2**63) <= number < 2**63 else None


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A choice of rows by id that refuses, as not valid, a value no id column can hold.

    Django keeps such a value out of a lookup of one row, not out of the ``IN`` list that
    checks a multiple choice: on SQLite that was a 500."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            for each in value:
                if as_id(each) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": each},
                    )
        return super().clean(value)
