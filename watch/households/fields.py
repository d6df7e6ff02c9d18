"""Addresses in the order a person walks a street: Storgatan 3 before Storgatan 11.

A street address sorted as text puts "Storgatan 11" before "Storgatan 3", and the
databases cannot sort numbers inside text alike (SQLite has no natural order, and
PostgreSQL's needs an ICU collation). So each address keeps a key of its own, written
with the row, that every database sorts the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.db import models

# Å, Ä and Ö are letters of their own, after Z; other accents sort as their letter.
_SWEDISH_LETTERS = str.maketrans({"å": "zza", "ä": "zzb", "æ": "zzb", "ö": "zzc", "ø": "zzc"})
_NUMBER = re.compile(r"\d+")
NUMBER_WIDTH = 10
MAX_LENGTH = 255


def address_order(street_address: str) -> str:
    """The address's sort key: its letters a to z and its numbers padded to ten digits,
    nothing else, so that every collation orders it as plain ASCII does ("storgatan
    0000000003b" for "Storgatan 3 B"). A number comes before a letter, so a street comes
    before a longer name that begins with it."""
    text = unicodedata.normalize("NFKD", street_address.casefold().translate(_SWEDISH_LETTERS))
    text = _NUMBER.sub(lambda number: number[0].zfill(NUMBER_WIDTH), text)
    return "".join(c for c in text if c.isascii() and c.isalnum())[:MAX_LENGTH]


class AddressOrderField(models.CharField):
    """``address_order`` of the model's ``street_address``, set whenever the row is
    written: by ``save()`` and by ``bulk_create()``, which both ask a field for its value
    (``pre_save``). A ``QuerySet.update()`` of the address would leave it behind: none
    is made."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.update(max_length=MAX_LENGTH, editable=False, default="")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        for fixed in ("max_length", "editable", "default"):
            kwargs.pop(fixed, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = address_order(model_instance.street_address)  # type: ignore[attr-defined]
        setattr(model_instance, self.attname, value)
        return value
