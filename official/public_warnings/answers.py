"""Reading Sveriges Radio's VMA API (``https://vmaapi.sr.se/api/v3/alerts``).

Followed: the API's own documentation (https://vmaapi.sr.se/index.html, the OpenAPI
document at /swagger/v3.0/swagger.json and its static examples at
/testapi/v3/examples/data), and CAP 1.2 for the meaning of the fields. The answer is
an object ``{"timestamp": …, "alerts": [...]}``; each alert carries CAP's
``identifier``, ``sender``, ``sent``, ``status``, ``msgType``, ``scope``,
``references`` (``"sender,identifier,sent"`` triples separated by spaces) and
``info`` — null for a Cancel, else a list per language with ``event``, ``headline``
(sometimes absent), ``description``, ``instruction``, ``web``, ``senderName``,
``severity``, ``expires`` and ``area`` with ``geocode`` pairs: ``Kommun`` (the
four-digit SCB code) or ``Län`` (the two-digit county code). Only real public
messages count: tests and exercises (``status``) and restricted ones (``scope``) are
skipped, as is anything that does not have this shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from official.reading import UnreadableAnswer, each_once, json_answer, text

MOST_ALERTS = 500
SWEDISH = "sv"


@dataclass(frozen=True)
class Message:
    identifier: str
    sender: str
    sent_at: datetime
    msg_type: str
    references: tuple[str, ...]
    headline: str = ""
    description: str = ""
    instruction: str = ""
    web: str = ""
    sender_name: str = ""
    severity: str = ""
    expires_at: datetime | None = None
    area_description: str = ""
    municipality_codes: frozenset[str] = field(default_factory=frozenset)
    county_codes: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Answer:
    messages: list[Message]
    # Every identifier the answer lists, also of messages skipped: a message that is
    # still listed has not been withdrawn, even if this answer could not be read for it.
    listed: frozenset[str]


def read(body: bytes) -> Answer:
    answer = json_answer(body)
    if not isinstance(answer, dict) or not isinstance(answer.get("alerts"), list):
        raise UnreadableAnswer("no list of alerts")
    listed = frozenset(
        item["identifier"]
        for item in answer["alerts"]
        if isinstance(item, dict) and isinstance(item.get("identifier"), str)
    )
    messages = each_once(
        answer["alerts"],
        _message,
        lambda message: message.identifier,
        most=MOST_ALERTS,
        what="Public warnings",
    )
    return Answer(messages, listed)


def _message(item: Any) -> Message | None:
    if item["status"] != "Actual" or item["scope"] != "Public":
        return None
    msg_type = item["msgType"]
    if msg_type not in {"Alert", "Update", "Cancel"}:
        return None
    references = item.get("references") or ""
    if not isinstance(references, str):
        raise TypeError("references")
    base: dict[str, Any] = {
        "identifier": text(item, "identifier", 200),
        "sender": text(item, "sender", 200),
        "sent_at": _time(text(item, "sent", 40)),
        "msg_type": msg_type,
        # The identifier of each "sender,identifier,sent" triple.
        "references": tuple(
            parts[1] for ref in references.split() if len(parts := ref.split(",")) == 3
        ),
    }
    if msg_type == "Cancel":
        return Message(**base)
    info = _swedish_info(item["info"])
    codes: dict[str, set[str]] = {"Kommun": set(), "Län": set()}
    areas = info.get("area") or []
    for area in areas:
        for geocode in area.get("geocode") or []:
            name, value = geocode["valueName"], geocode["value"]
            if name in codes and isinstance(value, str) and value.isdigit():
                codes[name].add(value)
    expires = info.get("expires")
    return Message(
        **base,
        headline=text(info, "headline", 300, required=False) or text(info, "event", 300),
        description=text(info, "description", 8000),
        instruction=text(info, "instruction", 4000, required=False),
        web=_web(text(info, "web", 500, required=False)),
        sender_name=text(info, "senderName", 200, required=False),
        severity=text(info, "severity", 16, required=False),
        expires_at=_time(expires) if isinstance(expires, str) and expires else None,
        area_description=", ".join(
            str(area["areaDesc"]) for area in areas if isinstance(area.get("areaDesc"), str)
        )[:500],
        municipality_codes=frozenset(code for code in codes["Kommun"] if len(code) == 4),
        county_codes=frozenset(code for code in codes["Län"] if len(code) == 2),
    )


def _swedish_info(infos: Any) -> dict[str, Any]:
    if not isinstance(infos, list) or not infos:
        raise ValueError("no info")
    for info in infos:
        if isinstance(info, dict) and str(info.get("language", "")).lower().startswith(SWEDISH):
            return info
    raise ValueError("no Swedish info")


def _time(value: str) -> datetime:
    moment = datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        raise ValueError(f"time without an offset: {value!r}")
    return moment


def _web(value: str) -> str:
    return value if value.startswith(("https://", "http://")) else ""
