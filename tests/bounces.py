"""Bounces and complaints as receiving servers write them, and the real receiver to take them.

``bounce_receiver`` runs ``manage.py receive_bounces``' server (aiosmtpd, in a thread of
this process) on a free loopback port; ``deliver`` speaks SMTP to it with smtplib, as a
remote server returning a message would (``MAIL FROM:<>``), and returns each reply code.
The receiver's thread uses a database connection of its own, so tests that use it keep
their rows committed (``django_db(transaction=True)``).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils import timezone

from notifications.alerts.models import Delivery
from notifications.bounces import receiver
from notifications.notices.models import BouncingAddress, OutboundEmail, StoppedAddress
from notifications.preferences.models import Preference
from notifications.sms import backends as sms_backends
from tests.live import free_port

BOUNCE_DOMAIN = "bounces.grannsamverkan.test"
ADDRESS = "anna@example.org"
DIAGNOSTIC = "smtp; 550 5.1.1 <anna@example.org>: Recipient address rejected: User unknown"


def enable_bounces(settings) -> None:  # type: ignore[no-untyped-def]
    settings.BOUNCE_ADDRESS_DOMAIN = BOUNCE_DOMAIN
    settings.BOUNCE_LOCAL_PART = "bounces"
    settings.BOUNCE_SUSPEND_AFTER = 3


@contextmanager
def bounce_receiver() -> Iterator[int]:
    """The bounce receiver on 127.0.0.1; yields its port."""
    log = logging.getLogger("mail.log")
    level = log.level
    log.setLevel(logging.WARNING)
    server = receiver.controller(host="127.0.0.1", port=free_port())
    server.start()
    try:
        yield server.port
    finally:
        server.stop()
        log.setLevel(level)


@dataclass(frozen=True)
class Replies:
    rcpt: int
    data: int | None  # None when RCPT was refused


def deliver(port: int, recipient: str, message: bytes | str) -> Replies:
    """Send ``message`` to ``recipient`` with the null sender; the server's reply codes."""
    data = message.encode() if isinstance(message, str) else message
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
        client.ehlo("mx.example.org")
        client.mail("")
        rcpt, _text = client.rcpt(recipient)
        if rcpt != 250:
            client.rset()
            return Replies(rcpt, None)
        code, _text = client.data(data)
        return Replies(rcpt, code)


def dsn(
    *,
    action: str = "failed",
    status: str = "5.1.1",
    diagnostic: str = DIAGNOSTIC,
    recipient: str = ADDRESS,
    return_path: str = "",
) -> str:
    """A delivery status notification (RFC 3464) as Postfix writes one."""
    return (
        "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\r\n"
        "To: someone@example.invalid\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"\r\n'
        "\r\n"
        "--B1\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "\r\n"
        "This is the mail system at host mx.example.org. I'm sorry to have to inform you\r\n"
        "that your message could not be delivered to one or more recipients.\r\n"
        "\r\n"
        "--B1\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n"
        "Arrival-Date: Tue, 3 Dec 2026 19:46:00 +0100 (CET)\r\n"
        "\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\n"
        f"Original-Recipient: rfc822;{recipient}\r\n"
        f"Action: {action}\r\n"
        f"Status: {status}\r\n"
        f"Diagnostic-Code: {diagnostic}\r\n"
        "\r\n"
        "--B1\r\n"
        "Content-Type: text/rfc822-headers\r\n"
        "\r\n"
        f"Return-Path: <{return_path or 'unknown@example.invalid'}>\r\n"
        "From: Grannsamverkan <noreply@localhost>\r\n"
        "Subject: Inbrott\r\n"
        "\r\n"
        "--B1--\r\n"
    )


def complaint(*, return_path: str = "", feedback_type: str = "abuse") -> str:
    """A complaint (ARF, RFC 5965) as a mailbox provider's feedback loop writes one."""
    return (
        "From: fbl@isp.example.net\r\n"
        "To: someone@example.invalid\r\n"
        "Subject: Abuse report\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=feedback-report; boundary="ARF"\r\n'
        "\r\n"
        "--ARF\r\n"
        "Content-Type: text/plain\r\n"
        "\r\n"
        "This is an e-mail abuse report for an e-mail message received from IP 192.0.2.1.\r\n"
        "\r\n"
        "--ARF\r\n"
        "Content-Type: message/feedback-report\r\n"
        "\r\n"
        f"Feedback-Type: {feedback_type}\r\n"
        "User-Agent: SomeFBL/1.0\r\n"
        "Version: 1\r\n"
        f"Original-Rcpt-To: <{ADDRESS}>\r\n"
        "\r\n"
        "--ARF\r\n"
        "Content-Type: text/rfc822-headers\r\n"
        "\r\n"
        f"Return-Path: <{return_path or 'unknown@example.invalid'}>\r\n"
        "From: Grannsamverkan <noreply@localhost>\r\n"
        "Subject: Inbrott\r\n"
        "\r\n"
        "--ARF--\r\n"
    )


def sent_email(alert, user, **fields) -> Delivery:  # type: ignore[no-untyped-def]
    """An e-mail delivery of ``alert`` to ``user`` that went out (as the sender leaves it)."""
    values = {"channel": "email", "status": "sent", "attempts": 1, "sent_at": timezone.now()}
    return Delivery.objects.create(
        alert=alert, user=user, area=alert.areas.first(), **{**values, **fields}
    )


def snapshot() -> dict[str, list]:
    """Every row a bounce or a complaint could change, and the texts sent."""
    return {
        "deliveries": list(
            Delivery.objects.order_by("pk").values_list(
                "pk", "status", "last_error", "bounced_at", "sent_at"
            )
        ),
        "outbound": list(
            OutboundEmail.objects.order_by("pk").values_list(
                "pk", "status", "last_error", "bounced_at"
            )
        ),
        "bouncing": list(BouncingAddress.objects.order_by("pk").values()),
        "preferences": list(Preference.objects.order_by("pk").values()),
        "stopped": list(StoppedAddress.objects.order_by("pk").values_list("address_hash")),
        "texts": [message.body for message in sms_backends.outbox],
    }
