"""What every reader of a provider's JSON does with a text field."""

from __future__ import annotations

from typing import Any


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
