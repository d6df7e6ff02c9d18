"""What each app holds about a person, as the app itself declares it.

accounts knows no other app's models. Each app registers, when it is ready, how to
export the personal data it holds about a user, how to erase it when the user
deletes their account, and how to purge what is past its retention period
(``watch/personal_data.py``, ``notifications/personal_data.py``). The data export,
the account deletion and the nightly purge (``accounts.services``) call every
registration in the order the apps are installed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from accounts.models import User

PURGE_CHUNK_SIZE = 5000


@dataclass(frozen=True)
class PersonalData:
    # Sections of the user's data export, by key, as JSON-ready values.
    export: Callable[[User], dict[str, Any]]
    # Delete or anonymise what the app holds about the user; runs in the transaction
    # that anonymises the account, before it does (the address is still on the user).
    erase: Callable[[User], None]
    # Delete what is past its retention period; counts by kind.
    purge: Callable[[datetime], dict[str, int]]


_registered: dict[str, PersonalData] = {}


def register(app_label: str, data: PersonalData) -> None:
    _registered[app_label] = data


def export(user: User) -> dict[str, Any]:
    sections: dict[str, Any] = {}
    for data in _registered.values():
        sections |= data.export(user)
    return sections


def erase(user: User) -> None:
    for data in _registered.values():
        data.erase(user)


def purge(now: datetime) -> dict[str, int]:
    counts: dict[str, int] = {}
    for data in _registered.values():
        counts |= data.purge(now)
    return counts


def delete_in_chunks(rows: QuerySet[Any], *, file_field: str = "") -> int:
    """Delete ``rows`` a chunk at a time: two queries per chunk, short transactions.

    ``file_field`` names a file column whose files go with their rows (after the rows,
    so a failed delete never leaves a row pointing at a missing file).
    """
    deleted = 0
    columns = ("pk", file_field) if file_field else ("pk",)
    while chunk := list(rows.order_by().values_list(*columns)[:PURGE_CHUNK_SIZE]):
        count, _by_model = rows.model.objects.filter(pk__in=[row[0] for row in chunk]).delete()
        deleted += count
        if file_field:
            storage = rows.model._meta.get_field(file_field).storage
            for _pk, name in chunk:
                if name:
                    storage.delete(name)
    return deleted
