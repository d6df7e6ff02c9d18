"""A long Swedish subject reaches a real SMTP server folded after its first encoded word,
not straight after "Subject:": a mail reader parses it without a leading space. So for a
message sent one at a time and for one encoded once for many (``MailMerge``)."""

from __future__ import annotations

import email
import email.policy

from django.core.mail import EmailMessage

from notifications import emails
from tests.live import smtp_server

SUBJECT = (
    "[Grannsamverkan] Inbrott på Storgatan – håll utkik efter en vit skåpbil i området "  # noqa: RUF001
    "kring Marieholm i natt"
)


def test_a_long_swedish_subject_arrives_whole(settings) -> None:
    with smtp_server() as sink:
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = sink.port
        settings.EMAIL_BACKEND = "notifications.emails.SMTPBackend"
        EmailMessage(SUBJECT, "Text", "noreply@example.org", ["ada@example.org"]).send()
        EmailMessage("Hej", "Text", "noreply@example.org", ["ada@example.org"]).send()

        long, short = sink.messages()
    assert long.message["Subject"] == SUBJECT
    assert not long.content.split(b"Subject:", 1)[1].startswith(b" \r\n")
    assert short.message["Subject"] == "Hej"


def test_a_merged_copy_carries_the_same_subject() -> None:
    prototype = EmailMessage(SUBJECT, "Hej 1234567890", "noreply@example.org", ["x@example.org"])
    merge = emails.MailMerge.of(prototype, ["1234567890"], [])
    assert merge is not None

    copy = merge.fill("ada@example.org", {"Message-ID": "<1@example.org>"}, {"1234567890": "42"})

    assert copy is not None
    parsed = email.message_from_bytes(copy, policy=email.policy.default)
    assert parsed["Subject"] == SUBJECT
