"""SMS backends: message types and the pluggable senders.

Modelled on Django's e-mail backends: callers build ``SMSMessage`` objects and hand
them to ``get_backend().send_messages(...)``; ``settings.SMS_BACKEND`` picks the
implementation (console in development, locmem in tests, 46elks in production).

Backends never raise for a message that could not be sent. Each message gets a
``SendResult`` saying whether it went out and, if not, whether retrying can help
(``permanent=False``) or not (``permanent=True``, e.g. a number that does not exist).
Only misconfiguration raises ``ImproperlyConfigured``, at construction time, so a
broken deployment is noticed before any alert is half-sent.

Settings (all optional, read with defaults):

``SMS_BACKEND``            dotted path, default ``"notifications.sms.backends.ConsoleBackend"``
``SMS_SENDER``             text sender id (3-11 of A-Z a-z 0-9, not starting with a
                           digit) or an E.164 number; default ``"Grannsamv"``
``SMS_MAX_SEGMENTS``       longest message, in segments, any backend accepts and the
                           default for ``fit_to_segments``; default 3
``SMS_TIMEOUT``            seconds per HTTP socket operation; default 10
``ELKS_API_URL``           default ``"https://api.46elks.com/a1"``
``ELKS_API_USERNAME``      required by ``ElksBackend``
``ELKS_API_PASSWORD``      required by ``ElksBackend``
``ELKS_DRY_RUN``           send ``dryrun=yes`` (46elks validates, sends nothing); False

A message's ``receipt_url`` becomes 46elks' ``whendelivered``.
"""

from __future__ import annotations

import itertools
import logging
import re
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from notifications.sms.segments import count_segments, max_segments_setting, setting

logger = logging.getLogger(__name__)


DEFAULT_BACKEND = "notifications.sms.backends.ConsoleBackend"


DEFAULT_SENDER = "Grannsamv"


DEFAULT_TIMEOUT = 10.0


E164_RE = re.compile(r"^\+[1-9][0-9]{6,14}$")


# 46elks: 3-11 characters of A-Z a-z 0-9, not starting with a digit. Spaces and other
# characters are accepted by some operators but handsets drop or mangle them.
TEXT_SENDER_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]{2,10}$")


@dataclass(frozen=True)
class SMSMessage:
    to: str  # E.164, e.g. "+46701740605"
    body: str
    # Opaque to the backends (e.g. a Delivery id); echoed in results and logs so the
    # caller can match results without relying on list positions.
    reference: str | None = None
    # Where the provider reports that the message reached the phone, or could not;
    # None for no report (notifications.channels.sms).
    receipt_url: str | None = None


@dataclass
class SendResult:
    message: SMSMessage
    ok: bool
    # Meaningful only when not ok: True = retrying cannot help (invalid number,
    # malformed message); False = try again later.
    permanent: bool = False
    provider_id: str | None = None
    error: str = ""
    # Parts actually sent (as reported by the provider when it says); 0 when nothing
    # went out.
    segments: int = 0
    # Seconds the provider asked us to wait before retrying, when it said.
    retry_after: float | None = None
    # The provider's HTTP status, for logs and admin screens; None when there was no
    # HTTP exchange (local backends, refused before sending, network failure).
    http_status: int | None = None

    @property
    def retryable(self) -> bool:
        return not self.ok and not self.permanent


def validate_sender(sender: str) -> str:
    if not (TEXT_SENDER_RE.match(sender) or E164_RE.match(sender)):
        raise ImproperlyConfigured(
            f"SMS_SENDER {sender!r} must be a text sender id of 3-11 letters and digits "
            "starting with a letter, or a phone number in E.164 form (+46...)."
        )
    return sender


def _mask_number(number: str) -> str:
    # Phone numbers are personal data; logs get enough to tell recipients apart.
    return number[:5] + "…" + number[-2:] if len(number) > 7 else "…"


def _describe(message: SMSMessage) -> str:
    return f"SMS ref={message.reference or '-'} to {_mask_number(message.to)}"


class BaseSMSBackend:
    """Base for SMS backends: validates each message, then hands it to ``_deliver``.

    Subclasses implement ``_deliver(message) -> SendResult`` and may override
    ``_stops_batch(result)`` to skip the rest of a batch after a failure that would
    hit every following message too (bad credentials, rate limit, provider down).

    Unknown keyword arguments are accepted and ignored, as in Django's e-mail
    backends, so code passing backend-specific options keeps working when
    ``SMS_BACKEND`` switches to the console or locmem backend.
    """

    def __init__(
        self,
        *,
        sender: str | None = None,
        max_segments: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.sender = validate_sender(
            sender if sender is not None else setting("SMS_SENDER", DEFAULT_SENDER)
        )
        self.max_segments = max_segments if max_segments is not None else max_segments_setting()
        if self.max_segments < 1:
            raise ImproperlyConfigured("SMS_MAX_SEGMENTS must be at least 1.")

    def send_messages(self, messages: Sequence[SMSMessage]) -> list[SendResult]:
        """Send each message; return one ``SendResult`` per message, in order."""
        results: list[SendResult] = []
        stopped_by: SendResult | None = None
        for message in messages:
            problem = self.check_message(message)
            if problem:
                results.append(SendResult(message, ok=False, permanent=True, error=problem))
            elif stopped_by is not None:
                results.append(
                    SendResult(
                        message,
                        ok=False,
                        permanent=False,
                        error=f"Not attempted after an earlier failure: {stopped_by.error}",
                        retry_after=stopped_by.retry_after,
                    )
                )
            else:
                try:
                    result = self._deliver(message)
                except Exception as error:
                    # A bug, not a delivery failure. Raising would throw away the
                    # results of messages already sent, and the caller would send
                    # them again; record it, stop the batch, keep what we know.
                    logger.exception("%s: SMS backend failed unexpectedly", _describe(message))
                    result = SendResult(
                        message, ok=False, error=f"Internal error: {type(error).__name__}"
                    )
                    stopped_by = result
                results.append(result)
                if not result.ok and self._stops_batch(result):
                    stopped_by = result
        return results

    def check_message(self, message: SMSMessage) -> str:
        """Return why ``message`` can never be sent, or "" if it is fine.

        Checked by every backend (not only the paying one) so development and tests
        catch over-long or malformed messages before production does.
        """
        if not E164_RE.match(message.to):
            return f"Recipient {message.to!r} is not a phone number in E.164 form."
        if not message.body.strip():
            return "The message is empty."
        encoding, segments = count_segments(message.body)
        if segments > self.max_segments:
            return (
                f"The message needs {segments} {encoding} segments; the limit "
                f"(SMS_MAX_SEGMENTS) is {self.max_segments}. Shorten it with fit_to_segments()."
            )
        return ""

    def _deliver(self, message: SMSMessage) -> SendResult:
        raise NotImplementedError("SMS backends must implement _deliver()")

    def _stops_batch(self, result: SendResult) -> bool:
        return False


class ConsoleBackend(BaseSMSBackend):
    """Writes each message to a stream (default ``sys.stdout``): the embedded default."""

    def __init__(self, *, stream: TextIO | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stream = stream
        # One message's lines stay together when several threads print at once.
        self._lock = threading.Lock()

    def _deliver(self, message: SMSMessage) -> SendResult:
        encoding, segments = count_segments(message.body)
        # Resolved per call, not at construction, so pytest's capsys and
        # redirect_stdout see the output.
        stream = self.stream if self.stream is not None else sys.stdout
        plural = "" if segments == 1 else "s"
        with self._lock:
            stream.write(
                f"SMS from {self.sender} to {message.to} (reference: {message.reference or '-'}; "
                f"{segments} segment{plural}, {encoding})\n{message.body}\n{'-' * 79}\n"
            )
            stream.flush()
        return SendResult(message, ok=True, segments=segments)


# Mirrors django.core.mail.outbox. Tests empty it (``outbox.clear()``) between tests;
# the backend looks the name up at send time, so rebinding it also works.
outbox: list[SMSMessage] = []


_locmem_ids = itertools.count(1)


class LocmemBackend(BaseSMSBackend):
    """Appends messages to ``notifications.sms.outbox`` instead of sending them."""

    def _deliver(self, message: SMSMessage) -> SendResult:
        outbox.append(message)
        return SendResult(
            message,
            ok=True,
            provider_id=f"locmem-{next(_locmem_ids)}",
            segments=count_segments(message.body)[1],
        )


def get_backend(path: str | None = None, **kwargs: Any) -> BaseSMSBackend:
    """Instantiate the backend at ``path`` (default ``settings.SMS_BACKEND``)."""
    path = path or setting("SMS_BACKEND", DEFAULT_BACKEND)
    try:
        backend_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"SMS_BACKEND {path!r} cannot be imported: {error}") from error
    if not (isinstance(backend_class, type) and issubclass(backend_class, BaseSMSBackend)):
        raise ImproperlyConfigured(f"SMS_BACKEND {path!r} is not an SMS backend class.")
    return backend_class(**kwargs)
