"""What a message to the bounce address reports, read from its bytes, trusting nothing.

Two kinds of report are read; everything else is nothing:

- a delivery status notification (RFC 3464): ``multipart/report;
  report-type=delivery-status`` with a ``message/delivery-status`` part, whose
  per-recipient fields say ``Action: failed`` and a ``Status`` of class 5 (permanent).
  A delay (``Action: delayed``) or a class 4 status is no bounce: the sending server is
  still trying. The reason is the ``Diagnostic-Code``, else the status;
- a complaint (ARF, RFC 5965): ``multipart/report; report-type=feedback-report`` with a
  ``message/feedback-report`` part of ``Feedback-Type: abuse``. The original message
  (its third part, whole or its header only) may carry our return path in its
  ``Return-Path`` field, for feedback loops that report to a fixed address.

The stdlib parser with ``policy.default`` reads any bytes; whatever it or the header
parser raises on malformed input (broken MIME, 8-bit header bytes that are not UTF-8)
makes the message nothing, never an error of the receiver.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.parser import BytesParser, Parser
from typing import Literal

# The longest reason kept: Outbox.last_error holds 500.
REASON_MAX = 400
_PERMANENT = re.compile(r"5\.\d{1,3}\.\d{1,3}")


@dataclass(frozen=True, slots=True)
class Report:
    kind: Literal["bounce", "complaint"]
    reason: str = ""
    # The addresses the report says it is about (lower case), if it names any.
    recipients: frozenset[str] = field(default_factory=frozenset)
    # ARF: the original message's Return-Path, if it came with the report.
    return_path: str = ""


def read(data: bytes) -> Report | None:
    """The bounce or complaint ``data`` reports, or None if it is neither."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
        return _read(message)
    except Exception:  # malformed input of any kind is no report
        return None


def _read(message: Message) -> Report | None:
    if message.get_content_type() != "multipart/report":
        return None
    report_type = str(message.get_param("report-type", "") or "").strip().lower()
    payload = message.get_payload()
    if not isinstance(payload, list):
        return None
    parts = [part for part in payload if isinstance(part, Message)]
    if report_type == "delivery-status":
        return _delivery_status(parts)
    if report_type == "feedback-report":
        return _feedback(parts)
    return None


def _delivery_status(parts: list[Message]) -> Report | None:
    status_part = next(
        (part for part in parts if part.get_content_type() == "message/delivery-status"), None
    )
    if status_part is None:
        return None
    blocks = status_part.get_payload()
    if not isinstance(blocks, list) or len(blocks) < 2:
        return None
    recipients: set[str] = set()
    reason = ""
    permanent = False
    # The first block is about the message, each one after it about one recipient.
    for block in blocks[1:]:
        if not isinstance(block, Message):
            return None
        recipients |= {
            address
            for name in ("Original-Recipient", "Final-Recipient")
            if (address := _typed_address(block.get(name)))
        }
        action = _text(block.get("Action")).lower()
        status = _text(block.get("Status"))
        if action == "failed" and _PERMANENT.fullmatch(status) and not permanent:
            permanent = True
            diagnostic = _text(block.get("Diagnostic-Code"))
            reason = _clean(diagnostic.partition(";")[2] or diagnostic) or status
    if not permanent:
        return None
    return Report("bounce", reason=reason, recipients=frozenset(recipients))


def _feedback(parts: list[Message]) -> Report | None:
    feedback = next(
        (part for part in parts if part.get_content_type() == "message/feedback-report"), None
    )
    if feedback is None:
        return None
    fields = _fields(feedback)
    if fields is None or _text(fields.get("Feedback-Type")).lower() != "abuse":
        return None
    recipients = {
        address
        for value in fields.get_all("Original-Rcpt-To") or []
        if (address := _address(_text(value)))
    }
    original = next(
        (
            _fields(part)
            for part in parts
            if part.get_content_type() in ("message/rfc822", "text/rfc822-headers")
        ),
        None,
    )
    return_path = _address(_text(original.get("Return-Path"))) if original is not None else ""
    return Report("complaint", recipients=frozenset(recipients), return_path=return_path)


def _fields(part: Message) -> Message | None:
    """The header fields a ``message/…`` or ``text/rfc822-headers`` part holds."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return payload[0] if payload and isinstance(payload[0], Message) else None
    if isinstance(payload, str):
        return Parser(policy=policy.default).parsestr(payload, headersonly=True)
    return None


def _text(value: object) -> str:
    return _clean(str(value)) if value is not None else ""


def _clean(text: str) -> str:
    """One line of printable characters, at most ``REASON_MAX``: it is shown on pages."""
    printable = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(printable.split())[:REASON_MAX]


def _typed_address(value: object) -> str:
    """The address of an RFC 3464 field ``rfc822; someone@example.org``."""
    text = _text(value)
    kind, _semicolon, address = text.partition(";")
    return _address(address) if kind.strip().lower() == "rfc822" else ""


def _address(text: str) -> str:
    address = text.strip().strip("<>").strip().lower()
    return address if "@" in address and len(address) <= 254 and " " not in address else ""
