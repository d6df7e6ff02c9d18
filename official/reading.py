"""What every reader of a provider's JSON answer does: load it, read each item on its
own, and clean its text fields."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")


def text(item: Any, key: str, longest: int, *, required: bool = True) -> str:
    """``item[key]`` as a clean string of at most ``longest`` characters.

    A missing or wrong-typed required field raises (KeyError, TypeError, ValueError), so
    the reader skips that one item; an optional one that is absent or null is "". Line
    breaks become LF, and characters a database text column or an XML document cannot
    carry are dropped.
    """
    value = item[key] if required else item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"{key} is {type(value).__name__}")
    value = value.replace("\r\n", "\n")
    value = "".join(ch for ch in value if ch in "\n\t" or ch >= " ").strip()
    if required and not value:
        raise ValueError(f"{key} is empty")
    return value[:longest]


class UnreadableAnswer(ValueError):
    """The answer as a whole is not what the provider documents."""


def json_answer(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise UnreadableAnswer(f"not JSON: {error}") from error


def each_once(
    items: list[Any],
    read_one: Callable[[Any], T | None],
    key: Callable[[T], Hashable],
    *,
    most: int,
    what: str,
) -> list[T]:
    """What ``read_one`` makes of the first ``most`` items, the first of each ``key``.

    An item it cannot read (KeyError, TypeError, ValueError) is logged and skipped, and
    one it reads as None is left out: one bad item never costs the rest of the answer.
    """
    if len(items) > most:
        logger.warning("%s: %s items, only the first %s read", what, len(items), most)
    found: dict[Hashable, T] = {}
    for item in items[:most]:
        try:
            read = read_one(item)
        except (KeyError, TypeError, ValueError) as error:
            logger.warning("%s: an item skipped (%s): %.200r", what, error, item)
            continue
        if read is not None:
            found.setdefault(key(read), read)
    return list(found.values())
