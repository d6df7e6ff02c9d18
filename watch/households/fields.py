"""Addresses in the order a person walks a street: Storgatan 3 before Storgatan 11.

A street address sorted as text puts "Storgatan 11" before "Storgatan 3", and the
databases cannot sort numbers inside text alike (SQLite has no natural order, and
PostgreSQL's needs an ICU collation). So each address keeps a key of its own, written
with the row, that every database sorts the same way: by ``save()`` (also with
``update_fields``), ``bulk_create()``, ``bulk_update()`` and ``update()`` of the address
(``WalkingOrder``, ``AddressQuerySet``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models

# Å, Ä and Ö are letters of their own, after Z; other accents sort as their letter.
_SWEDISH_LETTERS = str.maketrans({"å": "zza", "ä": "zzb", "æ": "zzb", "ö": "zzc", "ø": "zzc"})
_NUMBER = re.compile(r"[0-9]+")
NUMBER_WIDTH = 10
MAX_LENGTH = 255


def address_order(street_address: str) -> str:
    """The address's sort key: its letters a to z and its numbers padded to ten digits,
    nothing else, so that every collation orders it as plain ASCII does ("storgatan
    0000000003b" for "Storgatan 3 B"). A number comes before a letter, so a street comes
    before a longer name that begins with it."""
    # Composed first, so that an "å" typed as "a" and a ring (pasted from a PDF) is one
    # letter to translate; then every other accent comes off its letter.
    composed = unicodedata.normalize("NFC", street_address).casefold()
    text = unicodedata.normalize("NFKD", composed.translate(_SWEDISH_LETTERS))
    text = _NUMBER.sub(lambda number: number[0].zfill(NUMBER_WIDTH), text)
    return "".join(c for c in text if c.isascii() and c.isalnum())[:MAX_LENGTH]


class AddressOrderField(models.CharField):
    """``address_order`` of the model's ``street_address``, set whenever the row is
    written whole: by ``save()`` and ``bulk_create()``, which ask a field for its value
    (``pre_save``). Writes of some fields only are ``WalkingOrder``'s and
    ``AddressQuerySet``'s."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.update(max_length=MAX_LENGTH, editable=False, default="")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        for fixed in ("max_length", "editable", "default"):
            kwargs.pop(fixed, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = address_order(getattr(model_instance, STREET_ADDRESS))
        setattr(model_instance, self.attname, value)
        return value


STREET_ADDRESS, ADDRESS_ORDER = "street_address", "address_order"


class WalkingOrder:
    """For a model with a ``street_address`` and an ``AddressOrderField`` named
    ``address_order``: a ``save(update_fields=[...])`` of the address writes its key too,
    as a whole save does."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and STREET_ADDRESS in update_fields:
            kwargs["update_fields"] = {*update_fields, ADDRESS_ORDER}
        super().save(*args, **kwargs)  # type: ignore[misc]


class AddressQuerySet(models.QuerySet):
    """Updates of addresses in bulk that write their keys with them."""

    def update(self, **kwargs: Any) -> int:
        # bulk_update() gives both, as expressions of each row's values.
        if STREET_ADDRESS in kwargs and ADDRESS_ORDER not in kwargs:
            street = kwargs[STREET_ADDRESS]
            if not isinstance(street, str):  # an expression: its text is the database's
                raise TypeError("update() takes a street address as text; save() the rows")
            kwargs[ADDRESS_ORDER] = address_order(street)
        return super().update(**kwargs)

    def bulk_update(
        self, objs: Iterable[Any], fields: Iterable[str], batch_size: int | None = None
    ) -> int:
        objs, fields = list(objs), list(fields)
        if STREET_ADDRESS in fields:
            for obj in objs:
                setattr(obj, ADDRESS_ORDER, address_order(getattr(obj, STREET_ADDRESS)))
            fields.append(ADDRESS_ORDER)
        return super().bulk_update(objs, fields, batch_size=batch_size)
