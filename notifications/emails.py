"""E-mail rendering and sending: each message in its recipient's language.

Messages go one at a time over one SMTP connection (``send_each``), so one
refused address is that address's failure alone, and a broken connection defers
exactly the messages that had not gone yet: a retry goes to those only.

A message that goes to many people, alike but for a few values, is encoded once
(``MailMerge``): Django encodes a message (folds its headers, encodes its parts)
each time a backend sends it, and that was a third of a worker's time per alert
e-mail.
"""

from __future__ import annotations

import contextlib
import email.message
import functools
import re
import smtplib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from email.header import Header
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends import smtp
from django.core.mail.message import SafeMIMEMultipart, SafeMIMEText, sanitize_address

T = TypeVar("T")
# Between the fields of an encoded header; a folded field continues on an indented line.
_FIELD_SEPARATOR = re.compile(rb"\r\n(?![ \t])")
# An address that needs no quoting or encoding: a dot-atom (RFC 5322), one @, a host name
# of ASCII labels, each 1 to 63 characters (as IDNA requires of a label).
_ATEXT = r"[\w!#$%&'*+/=?^`{|}~-]+"
_LABEL = r"[A-Za-z0-9-]{1,63}"
_PLAIN_ADDRESS = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*@{_LABEL}(?:\.{_LABEL})*", re.ASCII)
# RFC 5322's limit on a line, without its CRLF.
_MAX_LINE = 998
# The right-hand side of our Message-IDs (RFC 2606: never a real domain).
MESSAGE_ID_DOMAIN = "grannsamverkan.invalid"


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a message did not go: the SMTP reply code, if any, and the error text."""

    code: int | None
    error: str
    # Whether the server refused this message for good (5xx to RCPT or DATA).
    permanent: bool = False

    @property
    def reason(self) -> str:
        return f"{self.code or ''} {self.error}".strip()[:500]


def _refusal(error: smtplib.SMTPRecipientsRefused | smtplib.SMTPResponseException) -> Failure:
    text: bytes | str
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
    else:
        code, text = error.smtp_code, error.smtp_error
    detail = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    # 5xx is permanent (no such mailbox, rejected); 4xx is worth another try.
    return Failure(code, detail, permanent=500 <= code < 600)


def send_each(
    items: Sequence[T], build: Callable[[T], EmailMessage]
) -> Iterator[tuple[list[T], Failure | None]]:
    """Send ``build(item)`` for each item over one connection; yield what became of them.

    Yields ``([item], None)`` for each message the server accepted, ``([item],
    failure)`` for each it refused, and, once the connection cannot go on (or
    never opened), ``(the items not yet sent, failure)`` — a temporary failure.
    Each result is yielded before the next message is sent, so a caller that
    records it first loses at most the message in flight if its process dies.
    """
    if not items:
        return
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        yield list(items), Failure(getattr(error, "smtp_code", None), str(error))
        return
    try:
        for index, item in enumerate(items):
            try:
                connection.send_messages([build(item)])
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
                # smtplib has reset the transaction; the connection goes on (a 421
                # closes it, and the next message then ends the loop below).
                yield [item], _refusal(error)
            except (OSError, smtplib.SMTPException) as error:
                yield list(items[index:]), Failure(None, str(error) or type(error).__name__)
                return
            else:
                yield [item], None
    finally:
        # A connection that broke mid-batch may fail to close too; the results stand.
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()


def header_address(address: str) -> str:
    """``address`` as Django writes it in the To field (``forbid_multi_line_headers``).

    As it is when it is ASCII; otherwise through ``sanitize_address`` (IDNA for the
    domain, RFC 2047 for the rest), whose header parser is slow enough to matter
    once per message.
    """
    return address if address.isascii() else sanitize_address(address, settings.DEFAULT_CHARSET)


def envelope_address(address: str | tuple[str, str], encoding: str) -> str:
    """``sanitize_address(address, encoding)``, without parsing a plain address.

    Django's SMTP backend parses the sender and each recipient of every message
    with the e-mail package's header parser, which cost a worker a sixth of its
    CPU per alert e-mail; a plain address comes out of it as it went in.
    """
    if isinstance(address, str) and _PLAIN_ADDRESS.fullmatch(address):
        return address
    return sanitize_address(address, encoding)


# The sender is the same for every message, and usually has a display name; members'
# addresses are not kept.
_envelope_sender = functools.lru_cache(maxsize=8)(envelope_address)


class SMTPBackend(smtp.EmailBackend):
    """Django's SMTP backend, with the envelope's addresses from ``envelope_address``.

    Any SMTP ``EMAIL_URL`` (``smtp://``, ``smtps://``, ``smtp+tls://``…) selects it
    (config.settings). Only ``_send`` differs from
    Django's, and only in how it writes the sender and recipients.
    """

    def _send(self, email_message: EmailMessage) -> bool:
        recipients = email_message.recipients()
        if not recipients:
            return False
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        if self.connection is None:  # open() failed and fail_silently was set
            return False
        try:
            self.connection.sendmail(
                _envelope_sender(email_message.from_email, encoding),
                [envelope_address(address, encoding) for address in recipients],
                encoded(email_message).as_bytes(linesep="\r\n"),
            )
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True


def encoded(message: EmailMessage) -> SafeMIMEText | SafeMIMEMultipart:
    """``message.message()``, its subject folded as mail readers expect.

    Django encodes a non-ASCII subject without room for the "Subject: " before it, so the
    generator breaks the line straight after the colon and readers parse a subject that
    starts with a space. Encoded knowing its field's name, the first word stays on the
    field's own line.
    """
    mime = message.message()
    subject = str(message.subject)
    if "Subject" in mime and not subject.isascii():
        encoding = message.encoding or settings.DEFAULT_CHARSET
        mime.replace_header("Subject", Header(subject, encoding, header_name="Subject").encode())
    return mime


class _Encoded(email.message.Message):
    """A message already encoded: what Django's mail backends use of ``message()``."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self._data = data

    def as_bytes(self, unixfrom: bool = False, policy: Any = None, linesep: str = "\n") -> bytes:
        return self._data if linesep == "\r\n" else self._data.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom: bool = False, maxheaderlen: int = 0, policy: Any = None) -> str:
        return self.as_bytes().decode()


class MergedEmail(EmailMultiAlternatives):
    """An ordinary e-mail that may carry its own encoding, made by a ``MailMerge``.

    Subject, body, alternatives and headers are this recipient's, as in any
    EmailMessage, so test outboxes and the console show what was sent.
    """

    def __init__(self, *args: Any, encoded: bytes | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.encoded = encoded

    def message(self) -> email.message.Message:
        return super().message() if self.encoded is None else _Encoded(self.encoded)


@dataclass(frozen=True, slots=True)
class MailMerge:
    """A message encoded once, copied for each recipient with their own values.

    Each copy gets the recipient's header fields (To, Message-ID and the ones
    named ``personal``), written out plain, and the stand-ins in its body replaced.
    The stand-ins must be strings no text can contain by chance (random digits
    serve); the values, ASCII that needs neither encoding nor HTML escaping: ids,
    signed tokens.
    """

    head: bytes  # the prototype's header fields but the personal ones, each with its CRLF
    body: bytes
    personal: frozenset[str]

    @classmethod
    def of(
        cls, prototype: EmailMessage, stand_ins: Sequence[str], personal: Sequence[str]
    ) -> MailMerge | None:
        """A merge of ``prototype``, or None if its encoding does not allow one.

        That is when a part had to be quoted-printable or base64 (a line too long
        for SMTP, an attachment): replacing text inside an encoded part would break
        it, or miss a stand-in split across lines.
        """
        message = encoded(prototype)
        if any(
            part.get("Content-Transfer-Encoding", "7bit") not in ("7bit", "8bit")
            for part in message.walk()
            if not part.is_multipart()
        ):
            return None
        head, body = message.as_bytes(linesep="\r\n").split(b"\r\n\r\n", 1)
        names = frozenset(name.lower() for name in ("To", "Message-ID", *personal))
        fields = [
            field + b"\r\n"
            for field in _FIELD_SEPARATOR.split(head)
            if field.split(b":", 1)[0].decode().lower() not in names
        ]
        texts = [prototype.body, *(str(c) for c, _m in getattr(prototype, "alternatives", []))]
        if any(
            body.count(stand_in.encode()) != sum(text.count(stand_in) for text in texts)
            for stand_in in stand_ins
        ):
            return None
        return cls(b"".join(fields), body, names)

    def fill(self, to: str, headers: Mapping[str, str], values: Mapping[str, str]) -> bytes | None:
        """The message to ``to`` with its ``headers``, each stand-in replaced by its value.

        None when this copy cannot be written so — a value that is not plain ASCII
        or holds a line break, a line that would grow past RFC 5322's 998
        characters —: the caller then has Django encode it (and refuse it, if it
        must).
        """
        if {name.lower() for name in ("To", *headers)} != self.personal:
            raise ValueError(f"a merged copy needs exactly these fields: {sorted(self.personal)}")
        fields = {"To": header_address(to), **headers}
        if not all(_plain(text) for text in (*fields.values(), *values.values())):
            return None
        # Written as they are, unfolded, as RFC 5322 allows up to the line limit.
        head = "".join(f"{name}: {value}\r\n" for name, value in fields.items()).encode()
        body = self.body
        for stand_in, value in values.items():
            body = body.replace(stand_in.encode(), value.encode())
        if max(map(len, head.split(b"\r\n"))) > _MAX_LINE or (
            values and max(map(len, body.split(b"\r\n"))) > _MAX_LINE
        ):
            return None
        return head + self.head + b"\r\n" + body


def _plain(text: str) -> bool:
    return text.isascii() and "\r" not in text and "\n" not in text
