"""One module per delivery channel that sends something, each a ``Channel``: e-mail, SMS
and push.

``send`` gets claimed rows with ``alert`` and ``user`` loaded and yields lists of
``Outcome``, one per delivery between them. Each list is recorded before the channel
goes on, so a channel that sends one message at a time (e-mail) yields one outcome
at a time: a worker killed mid-batch then sends again only the message that was in
flight. A channel never raises for one recipient's failure; it tells a permanent
failure (never retry) from a temporary one (retry later).

In-app has no module: its delivery row is the inbox entry, and dispatch writes it
as sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

from notifications.outbox.pipeline import Outcome

if TYPE_CHECKING:
    from accounts.models import User
    from notifications.alerts.models import Delivery


class Channel(Protocol):
    def send(self, deliveries: list[Delivery]) -> Iterator[list[Outcome]]: ...


def recipient(delivery: Delivery) -> User:
    """The member a claimed delivery goes to. Send tasks hand channels no delivery whose
    account is gone (notifications.alerts.delivery.send_deliveries)."""
    if delivery.user is None:
        raise ValueError(f"Delivery {delivery.pk} has no recipient.")
    return delivery.user


def module_for(channel: str) -> Channel:
    from notifications.channels import email, push, sms

    modules: dict[str, Channel] = {"email": email, "sms": sms, "push": push}
    return modules[channel]
