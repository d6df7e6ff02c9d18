"""E-mail backends for the pipeline tests: Django's locmem backend with failures.

They stand in for an SMTP server's answers (4xx, 5xx) so the retry and failure
rules can be tested quickly; the real SMTP client path is covered by the live
tests against an aiosmtpd server on loopback.
"""

from __future__ import annotations

import smtplib
from collections import Counter
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend

# address -> (SMTP code, number of attempts to refuse; None = always)
REFUSE: dict[str, tuple[int, int | None]] = {}
_refused: Counter[str] = Counter()


def reset() -> None:
    REFUSE.clear()
    _refused.clear()


class RefusingBackend(EmailBackend):
    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        for message in messages:
            for address in message.to:
                if address in REFUSE:
                    code, times = REFUSE[address]
                    if times is None or _refused[address] < times:
                        _refused[address] += 1
                        raise smtplib.SMTPRecipientsRefused({address: (code, b"refused")})
        return super().send_messages(messages)
