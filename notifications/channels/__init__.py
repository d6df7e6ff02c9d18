"""One module per delivery channel that sends something, each with the same interface:

    send(deliveries: list[Delivery]) -> Iterator[list[Outcome]]

``deliveries`` are claimed rows with ``alert`` and ``user`` loaded; the lists
yielded hold one Outcome per delivery between them. Each list is recorded before
the channel goes on, so a channel that sends one message at a time (e-mail)
yields one outcome at a time: a worker killed mid-batch then sends again only
the message that was in flight. A channel never raises for one recipient's
failure; it tells a permanent failure (never retry) from a temporary one (retry
later).

In-app has no module: its delivery row is the inbox entry, and dispatch writes
it as sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True, slots=True)
class Outcome:
    delivery_id: int
    ok: bool
    permanent: bool = False
    error: str = ""
    retry_after: float | None = None


def module_for(channel: str) -> ModuleType:
    from notifications.channels import email, sms

    return {"email": email, "sms": sms}[channel]
