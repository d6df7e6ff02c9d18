"""One module per delivery channel, each with the same interface:

    send(deliveries: list[Delivery]) -> list[Outcome]

``deliveries`` are claimed rows with ``alert`` and ``user`` loaded; the result has
one Outcome per delivery. A channel never raises for one recipient's failure; it
tells a permanent failure (never retry) from a temporary one (retry later).
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
    from notifications.channels import email, inapp, sms

    return {"email": email, "sms": sms, "inapp": inapp}[channel]
