"""How many SMS a text takes, and shortening a text to fit (GSM-7 and UCS-2)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from django.conf import settings

Encoding = Literal["GSM-7", "UCS-2"]


DEFAULT_MAX_SEGMENTS = 3


# GSM 03.38 default alphabet in code order. 0x1B (ESC) is left out: it introduces an
# extension character and is not a character of its own.
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


# Extension table: each is sent as ESC + code, so it costs two septets.
_GSM_EXTENSION = frozenset("\f^{}\\[]~|€")


GSM_SINGLE_SEPTETS = 160


GSM_PART_SEPTETS = 153  # 7 septets of each part go to the concatenation header (UDH).


UCS2_SINGLE_UNITS = 70


UCS2_PART_UNITS = 67


# Used only when the shortened text is GSM-7 anyway: "…" is not in the GSM alphabet,
# so appending it would switch the whole message to UCS-2 and cut its room by more
# than half. In a UCS-2 message the single character is the cheaper choice.
ELLIPSIS_GSM = "..."


ELLIPSIS_UCS2 = "…"


# Trailing characters that read badly right before an ellipsis.
_TRIM_BEFORE_ELLIPSIS = " \t\r\n\f\v,.;:-\u2013\u2014"  # incl. en and em dash


def gsm_alphabet() -> tuple[str, str]:
    """The GSM 03.38 basic and extension characters, for a counter in the browser."""
    return "".join(sorted(_GSM_BASIC)), "".join(sorted(_GSM_EXTENSION))


def is_gsm7(text: str) -> bool:
    """True if every character of ``text`` is in the GSM 03.38 basic or extension set."""
    return all(ch in _GSM_BASIC or ch in _GSM_EXTENSION for ch in text)


def _pack(sizes: Sequence[int], single: int, part: int) -> int:
    if sum(sizes) <= single:
        return 1
    # An escape sequence (GSM) or a surrogate pair (UTF-16) is never split across
    # parts, so the parts are filled greedily rather than by dividing the total;
    # dividing would undercount and fit_to_segments would then overshoot.
    segments, used = 1, 0
    for size in sizes:
        if used + size > part:
            segments += 1
            used = 0
        used += size
    return segments


def count_segments(text: str) -> tuple[Encoding, int]:
    """Return the encoding a handset will receive ``text`` in and how many SMS it takes.

    GSM-7 when every character is in GSM 03.38 (Swedish åäöÅÄÖ are), counting extension
    characters (€ [ ] { } ^ ~ \\ |) as two septets: 160 septets in one SMS, 153 per
    part when concatenated. Otherwise UCS-2: UTF-16 code units (an emoji is two), 70
    in one SMS, 67 per part. An empty text still counts as one SMS.
    """
    if is_gsm7(text):
        septets = [2 if ch in _GSM_EXTENSION else 1 for ch in text]
        return "GSM-7", _pack(septets, GSM_SINGLE_SEPTETS, GSM_PART_SEPTETS)
    units = [2 if ord(ch) > 0xFFFF else 1 for ch in text]
    return "UCS-2", _pack(units, UCS2_SINGLE_UNITS, UCS2_PART_UNITS)


def setting(name: str, default: Any) -> Any:
    # Settings filled from the environment are often "" when unset; treat that as
    # absent so an empty variable means "use the default", not "misconfigured".
    value = getattr(settings, name, None)
    return default if value is None or value == "" else value


def max_segments_setting() -> int:
    return int(setting("SMS_MAX_SEGMENTS", DEFAULT_MAX_SEGMENTS))


def _shortened(prefix: str, link: str | None) -> str:
    tail = f" {link}" if link else ""
    ellipsis = ELLIPSIS_GSM if is_gsm7(prefix + tail) else ELLIPSIS_UCS2
    return f"{prefix}{ellipsis}{tail}"


def _word_prefix(text: str, length: int) -> str:
    """``text[:length]`` without a trailing partial word (unless it is the only word)."""
    cut = text[:length]
    if length < len(text) and not text[length].isspace():
        last_space = max((i for i, ch in enumerate(cut) if ch.isspace()), default=-1)
        if last_space > 0 and cut[:last_space].strip(_TRIM_BEFORE_ELLIPSIS):
            cut = cut[:last_space]
        # else: one word longer than the room; a hard cut beats dropping everything.
    return cut.rstrip(_TRIM_BEFORE_ELLIPSIS)


def fit_to_segments(text: str, max_segments: int | None = None, link: str | None = None) -> str:
    """Return ``text`` unchanged if it fits in ``max_segments`` SMS, else shorten it.

    The shortened form keeps as many whole words as fit, then an ellipsis and ``link``
    (e.g. where to read the whole alert): ``"Inbrott på ... https://…/a/12"``. The
    result always fits in ``max_segments`` (default ``settings.SMS_MAX_SEGMENTS``).
    Raises ``ValueError`` if even the ellipsis and link alone do not fit.
    """
    if max_segments is None:
        max_segments = max_segments_setting()
    if max_segments < 1:
        raise ValueError("max_segments must be at least 1")
    if count_segments(text)[1] <= max_segments:
        return text

    def fits(prefix: str) -> bool:
        return count_segments(_shortened(prefix, link))[1] <= max_segments

    if not fits(""):
        raise ValueError(f"The link alone does not fit in {max_segments} SMS segment(s).")
    # Longest prefix that fits: segment count only grows with the prefix, so bisect.
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(text[:middle]):
            low = middle
        else:
            high = middle - 1
    prefix = _word_prefix(text, low)
    # A shorter prefix always fits too; this guards the invariant rather than the math.
    while prefix and not fits(prefix):
        prefix = _word_prefix(prefix, len(prefix) - 1)
    return _shortened(prefix, link)
