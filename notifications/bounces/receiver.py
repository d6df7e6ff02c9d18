"""The bounce receiver: a small SMTP server (aiosmtpd) for the bounce domain's MX.

It takes mail only for ``BOUNCE_LOCAL_PART@BOUNCE_ADDRESS_DOMAIN`` and for return
paths this site signed (``notifications.verp.accepts``): any other recipient, a forged
or unsigned token included, is refused at RCPT (550), so nothing is kept of it. A
message larger than ``BOUNCE_MAX_MESSAGE_BYTES`` is refused (552) as it arrives, without
being held whole. An accepted message is read and acted on (``services.receive``) in a
worker thread, since the database is synchronous; a failure there answers 451, so the
sending server tries again, and the receiver goes on. Whatever a message holds, the
answer is 250 once it has been read: a report we cannot use is dropped, not bounced.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import close_old_connections

from notifications import verp
from notifications.bounces import services

logger = logging.getLogger(__name__)

# A report goes to one return path; a few more recipients are someone else's mail.
MAX_RECIPIENTS = 5


class BounceHandler:
    """aiosmtpd's handler: RCPT checks the address, DATA acts on the report."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if not verp.accepts(address):
            return "550 5.1.1 No such recipient here"
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        data = envelope.original_content or envelope.content or b""
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        recipients = list(envelope.rcpt_tos)
        loop = asyncio.get_running_loop()
        try:
            outcome = await loop.run_in_executor(None, _receive, recipients, data)
        except Exception:
            logger.exception("bounce receiver: could not record a report; asked to retry")
            return "451 4.3.0 Could not record the report, try again later"
        logger.info("bounce receiver: %s (%d bytes)", outcome, len(data))
        return "250 OK"


def _receive(recipients: list[str], data: bytes) -> str:
    # A long-running process: drop connections the database has closed meanwhile.
    close_old_connections()
    try:
        return services.receive(recipients=recipients, data=data)
    finally:
        close_old_connections()


def controller(*, host: str, port: int) -> Controller:
    """The receiver on ``host``:``port``, not yet started (``start()``, ``stop()``)."""
    return Controller(
        BounceHandler(),
        hostname=host,
        port=port,
        server_hostname=settings.BOUNCE_ADDRESS_DOMAIN or "localhost",
        data_size_limit=settings.BOUNCE_MAX_MESSAGE_BYTES,
        ready_timeout=10,
    )
