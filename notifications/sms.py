"""SMS delivery channel: message types, segment arithmetic and pluggable backends.

Modelled on Django's e-mail backends: callers build ``SMSMessage`` objects and hand
them to ``get_backend().send_messages(...)``; ``settings.SMS_BACKEND`` picks the
implementation (console in development, locmem in tests, 46elks in production).

Backends never raise for a message that could not be sent. Each message gets a
``SendResult`` saying whether it went out and, if not, whether retrying can help
(``permanent=False``) or not (``permanent=True``, e.g. a number that does not exist).
Only misconfiguration raises ``ImproperlyConfigured``, at construction time, so a
broken deployment is noticed before any alert is half-sent.

Settings (all optional, read with defaults):

``SMS_BACKEND``            dotted path, default ``"notifications.sms.ConsoleBackend"``
``SMS_SENDER``             text sender id (3-11 of A-Z a-z 0-9, not starting with a
                           digit) or an E.164 number; default ``"Grannsamv"``
``SMS_MAX_SEGMENTS``       longest message, in segments, any backend accepts and the
                           default for ``fit_to_segments``; default 3
``SMS_TIMEOUT``            seconds per HTTP socket operation; default 10
``ELKS_API_URL``           default ``"https://api.46elks.com/a1"``
``ELKS_API_USERNAME``      required by ``ElksBackend``
``ELKS_API_PASSWORD``      required by ``ElksBackend``
``ELKS_DRY_RUN``           send ``dryrun=yes`` (46elks validates, sends nothing); False
``ELKS_DELIVERY_CALLBACK_URL``  ``whendelivered`` URL, may contain ``{reference}``;
                           default None (no delivery reports)
"""

from __future__ import annotations

import base64
import http.client
import itertools
import json
import logging
import re
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal, TextIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

Encoding = Literal["GSM-7", "UCS-2"]

DEFAULT_BACKEND = "notifications.sms.ConsoleBackend"
DEFAULT_SENDER = "Grannsamv"
DEFAULT_MAX_SEGMENTS = 3
DEFAULT_TIMEOUT = 10.0
DEFAULT_ELKS_API_URL = "https://api.46elks.com/a1"

# --- Segments -----------------------------------------------------------------------------

# GSM 03.38 default alphabet in code order. 0x1B (ESC) is left out: it introduces an
# extension character and is not a character of its own.
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table: each is sent as ESC + code, so it costs two septets.
_GSM_EXTENSION = frozenset("\f^{}\\[]~|€")

GSM_SINGLE_SEPTETS = 160
GSM_PART_SEPTETS = 153  # 7 septets of each part go to the concatenation header (UDH).
UCS2_SINGLE_UNITS = 70
UCS2_PART_UNITS = 67

# Used only when the shortened text is GSM-7 anyway: "…" is not in the GSM alphabet,
# so appending it would switch the whole message to UCS-2 and cut its room by more
# than half. In a UCS-2 message the single character is the cheaper choice.
ELLIPSIS_GSM = "..."
ELLIPSIS_UCS2 = "…"
# Trailing characters that read badly right before an ellipsis.
_TRIM_BEFORE_ELLIPSIS = " \t\r\n\f\v,.;:-\u2013\u2014"  # incl. en and em dash


def is_gsm7(text: str) -> bool:
    """True if every character of ``text`` is in the GSM 03.38 basic or extension set."""
    return all(ch in _GSM_BASIC or ch in _GSM_EXTENSION for ch in text)


def _pack(sizes: Sequence[int], single: int, part: int) -> int:
    if sum(sizes) <= single:
        return 1
    # An escape sequence (GSM) or a surrogate pair (UTF-16) is never split across
    # parts, so the parts are filled greedily rather than by dividing the total;
    # dividing would undercount and fit_to_segments would then overshoot.
    segments, used = 1, 0
    for size in sizes:
        if used + size > part:
            segments += 1
            used = 0
        used += size
    return segments


def count_segments(text: str) -> tuple[Encoding, int]:
    """Return the encoding a handset will receive ``text`` in and how many SMS it takes.

    GSM-7 when every character is in GSM 03.38 (Swedish åäöÅÄÖ are), counting extension
    characters (€ [ ] { } ^ ~ \\ |) as two septets: 160 septets in one SMS, 153 per
    part when concatenated. Otherwise UCS-2: UTF-16 code units (an emoji is two), 70
    in one SMS, 67 per part. An empty text still counts as one SMS.
    """
    if is_gsm7(text):
        septets = [2 if ch in _GSM_EXTENSION else 1 for ch in text]
        return "GSM-7", _pack(septets, GSM_SINGLE_SEPTETS, GSM_PART_SEPTETS)
    units = [2 if ord(ch) > 0xFFFF else 1 for ch in text]
    return "UCS-2", _pack(units, UCS2_SINGLE_UNITS, UCS2_PART_UNITS)


def _setting(name: str, default: Any) -> Any:
    # Settings filled from the environment are often "" when unset; treat that as
    # absent so an empty variable means "use the default", not "misconfigured".
    value = getattr(settings, name, None)
    return default if value is None or value == "" else value


def max_segments_setting() -> int:
    return int(_setting("SMS_MAX_SEGMENTS", DEFAULT_MAX_SEGMENTS))


def _shortened(prefix: str, link: str | None) -> str:
    tail = f" {link}" if link else ""
    ellipsis = ELLIPSIS_GSM if is_gsm7(prefix + tail) else ELLIPSIS_UCS2
    return f"{prefix}{ellipsis}{tail}"


def _word_prefix(text: str, length: int) -> str:
    """``text[:length]`` without a trailing partial word (unless it is the only word)."""
    cut = text[:length]
    if length < len(text) and not text[length].isspace():
        last_space = max((i for i, ch in enumerate(cut) if ch.isspace()), default=-1)
        if last_space > 0 and cut[:last_space].strip(_TRIM_BEFORE_ELLIPSIS):
            cut = cut[:last_space]
        # else: one word longer than the room; a hard cut beats dropping everything.
    return cut.rstrip(_TRIM_BEFORE_ELLIPSIS)


def fit_to_segments(text: str, max_segments: int | None = None, link: str | None = None) -> str:
    """Return ``text`` unchanged if it fits in ``max_segments`` SMS, else shorten it.

    The shortened form keeps as many whole words as fit, then an ellipsis and ``link``
    (e.g. where to read the whole alert): ``"Inbrott på ... https://…/a/12"``. The
    result always fits in ``max_segments`` (default ``settings.SMS_MAX_SEGMENTS``).
    Raises ``ValueError`` if even the ellipsis and link alone do not fit.
    """
    if max_segments is None:
        max_segments = max_segments_setting()
    if max_segments < 1:
        raise ValueError("max_segments must be at least 1")
    if count_segments(text)[1] <= max_segments:
        return text

    def fits(prefix: str) -> bool:
        return count_segments(_shortened(prefix, link))[1] <= max_segments

    if not fits(""):
        raise ValueError(f"The link alone does not fit in {max_segments} SMS segment(s).")
    # Longest prefix that fits: segment count only grows with the prefix, so bisect.
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(text[:middle]):
            low = middle
        else:
            high = middle - 1
    prefix = _word_prefix(text, low)
    # A shorter prefix always fits too; this guards the invariant rather than the math.
    while prefix and not fits(prefix):
        prefix = _word_prefix(prefix, len(prefix) - 1)
    return _shortened(prefix, link)


# --- Messages and results -----------------------------------------------------------------

E164_RE = re.compile(r"^\+[1-9][0-9]{6,14}$")
# 46elks: 3-11 characters of A-Z a-z 0-9, not starting with a digit. Spaces and other
# characters are accepted by some operators but handsets drop or mangle them.
TEXT_SENDER_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]{2,10}$")


@dataclass(frozen=True)
class SMSMessage:
    to: str  # E.164, e.g. "+46701234567"
    body: str
    # Opaque to the backends (e.g. a Delivery id); echoed in results and logs so the
    # caller can match results without relying on list positions.
    reference: str | None = None


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


# --- Backends -----------------------------------------------------------------------------


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
            sender if sender is not None else _setting("SMS_SENDER", DEFAULT_SENDER)
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


# --- 46elks -------------------------------------------------------------------------------

_MAX_RESPONSE_BYTES = 64 * 1024
_ERROR_SNIPPET = 200


@dataclass(frozen=True)
class _HTTPResponse:
    status: int
    headers: Mapping[str, str]
    body: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib would follow a redirect of a POST as a GET without the form, which the
    # API would answer with something misleading. Surface the 3xx instead.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _post_form(
    url: str, fields: Mapping[str, str], *, username: str, password: str, timeout: float
) -> _HTTPResponse:
    """POST ``fields`` form-encoded (UTF-8) with Basic auth; return any HTTP response.

    Raises ``OSError`` (incl. ``URLError``, ``TimeoutError``) or
    ``http.client.HTTPException`` when no response arrives. ``timeout`` applies to
    each socket operation (connect, each read), not to the request as a whole.
    """
    credentials = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    request = urllib.request.Request(  # noqa: S310 - scheme checked in ElksBackend.__init__
        url,
        data=urllib.parse.urlencode(fields).encode("ascii"),
        method="POST",
        headers={
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "User-Agent": "Grannsamverkan-SMS/1",
        },
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            raw = response.read(_MAX_RESPONSE_BYTES)
            return _HTTPResponse(response.status, response.headers, raw.decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        # 4xx/5xx (and the 3xx let through above) still carry a body worth reading.
        with error:
            raw = error.read(_MAX_RESPONSE_BYTES)
        return _HTTPResponse(error.code, error.headers, raw.decode("utf-8", "replace"))


def _parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _error_text(body: str) -> str:
    # 46elks answers errors in plain text; accept {"error": "..."} JSON as well.
    text = body.strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            pass
        else:
            if isinstance(data, dict) and isinstance(data.get("error"), str):
                text = data["error"]
    return " ".join(text.split())[:_ERROR_SNIPPET]


def _is_local_host(host: str | None) -> bool:
    return host in {"localhost", "127.0.0.1", "::1"}


class ElksBackend(BaseSMSBackend):
    """Sends through 46elks (https://46elks.com/docs/send-sms), one POST per message.

    How responses map to results:

    ==============================  =========  ==========  ===========================
    Response                        ok         permanent   rest of the batch
    ==============================  =========  ==========  ===========================
    2xx JSON                        yes        -           continues
    400/403/404 about the to number no         yes         continues
    401 bad credentials             no         no          skipped; logged as ERROR
    402, 403 other (sender, credit) no         no          skipped; logged as ERROR
    429 rate limited                no         no          skipped, with Retry-After
    502/503/504, network, timeout   no         no          skipped
    other 4xx / 5xx, 3xx            no         no          continues; logged as ERROR
    ==============================  =========  ==========  ===========================

    Bad credentials are not raised as ``ImproperlyConfigured``: they are found out only
    mid-send, and once someone fixes them the queued alerts should simply go out on
    the next retry. Unknown 4xx stay retryable so an account-level problem never
    silently drops alerts; the caller's retry limit ends hopeless cases. A timeout is
    ambiguous (46elks may have accepted the message), so a retry can duplicate it;
    that is preferred to losing an alert.
    """

    def __init__(
        self,
        *,
        username: str | None = None,
        password: str | None = None,
        api_url: str | None = None,
        timeout: float | None = None,
        dry_run: bool | None = None,
        delivery_callback_url: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.username: str = username or _setting("ELKS_API_USERNAME", "")
        self.password: str = password or _setting("ELKS_API_PASSWORD", "")
        if not self.username or not self.password:
            raise ImproperlyConfigured(
                "ElksBackend needs ELKS_API_USERNAME and ELKS_API_PASSWORD (from the 46elks "
                "dashboard)."
            )
        url: str = api_url or _setting("ELKS_API_URL", DEFAULT_ELKS_API_URL)
        self.api_url = url.rstrip("/")
        parsed = urllib.parse.urlsplit(self.api_url)
        # Basic credentials travel with every request: plain HTTP only to this machine
        # (tests, a local stub), never across a network.
        if not (
            parsed.scheme == "https"
            or (parsed.scheme == "http" and _is_local_host(parsed.hostname))
        ):
            raise ImproperlyConfigured(
                f"ELKS_API_URL {self.api_url!r} must be an https:// URL (http:// only for "
                "localhost)."
            )
        self.timeout = float(
            timeout if timeout is not None else _setting("SMS_TIMEOUT", DEFAULT_TIMEOUT)
        )
        if self.timeout <= 0:
            raise ImproperlyConfigured("SMS_TIMEOUT must be a positive number of seconds.")
        self.dry_run = bool(dry_run if dry_run is not None else _setting("ELKS_DRY_RUN", False))
        self.delivery_callback_url = delivery_callback_url or _setting(
            "ELKS_DELIVERY_CALLBACK_URL", None
        )

    def _fields(self, message: SMSMessage) -> dict[str, str]:
        fields = {"from": self.sender, "to": message.to, "message": message.body}
        if self.dry_run:
            fields["dryrun"] = "yes"
        if self.delivery_callback_url:
            # The reference in the callback URL lets a delivery report be matched even
            # if it arrives before the caller has stored the provider id.
            fields["whendelivered"] = self.delivery_callback_url.replace(
                "{reference}", urllib.parse.quote(message.reference or "", safe="")
            )
        return fields

    def _deliver(self, message: SMSMessage) -> SendResult:
        try:
            response = _post_form(
                f"{self.api_url}/sms",
                self._fields(message),
                username=self.username,
                password=self.password,
                timeout=self.timeout,
            )
        except (OSError, http.client.HTTPException) as error:
            return self._network_failure(message, error)
        if 200 <= response.status < 300:
            return self._success(message, response)
        return self._failure(message, response)

    def _network_failure(self, message: SMSMessage, error: Exception) -> SendResult:
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        if isinstance(reason, TimeoutError):
            text = (
                f"46elks did not answer within {self.timeout:g} s; "
                "the message may or may not have been sent."
            )
        else:
            text = f"Could not reach 46elks: {reason or type(error).__name__}"
        logger.warning("%s: %s", _describe(message), text)
        return SendResult(message, ok=False, permanent=False, error=text)

    def _success(self, message: SMSMessage, response: _HTTPResponse) -> SendResult:
        estimated = count_segments(message.body)[1]
        try:
            data = json.loads(response.body)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            # Accepted but unreadable. Reporting a failure would get it retried and
            # sent twice; an alert twice is worse than a missing provider id.
            logger.warning(
                "%s: 46elks answered %s without JSON", _describe(message), response.status
            )
            return SendResult(message, ok=True, segments=estimated, http_status=response.status)
        provider_id = data.get("id") if isinstance(data.get("id"), str) else None
        parts = data.get("parts")
        segments = parts if isinstance(parts, int) and parts > 0 else estimated
        if data.get("status") == "failed":
            text = "46elks reported the message as failed."
            logger.error("%s: %s", _describe(message), text)
            return SendResult(
                message, ok=False, provider_id=provider_id, error=text, http_status=response.status
            )
        return SendResult(
            message,
            ok=True,
            provider_id=provider_id,
            segments=segments,
            http_status=response.status,
        )

    def _failure(self, message: SMSMessage, response: _HTTPResponse) -> SendResult:
        status = response.status
        detail = _error_text(response.body) or http.client.responses.get(status, "")
        text = f"46elks HTTP {status}: {detail}"
        retry_after = _parse_retry_after(response.headers.get("Retry-After"))
        lowered = detail.lower()
        if status in (400, 403, 404) and ("invalid to" in lowered or "to number" in lowered):
            logger.info("%s: %s", _describe(message), text)
            return SendResult(message, ok=False, permanent=True, error=text, http_status=status)
        if status == 401:
            logger.error(
                "46elks rejected the API credentials (HTTP 401). Check ELKS_API_USERNAME and "
                "ELKS_API_PASSWORD; messages stay queued for retry."
            )
        elif status == 429:
            logger.warning(
                "%s: rate limited by 46elks (retry after %s s)", _describe(message), retry_after
            )
        elif status in (502, 503, 504):
            logger.warning("%s: %s", _describe(message), text)
        else:
            # Sender id, credit or an error we do not know: needs a person to look.
            logger.error("%s: %s", _describe(message), text)
        return SendResult(
            message,
            ok=False,
            permanent=False,
            error=text,
            retry_after=retry_after,
            http_status=status,
        )

    def _stops_batch(self, result: SendResult) -> bool:
        if result.permanent:
            return False
        if result.http_status is None:
            return True  # no HTTP answer at all: network trouble or a hung API
        # 402/403 that is not about the recipient: the sender id or the account's credit.
        return result.http_status in (401, 402, 403, 429, 502, 503, 504)


def get_backend(path: str | None = None, **kwargs: Any) -> BaseSMSBackend:
    """Instantiate the backend at ``path`` (default ``settings.SMS_BACKEND``)."""
    path = path or _setting("SMS_BACKEND", DEFAULT_BACKEND)
    try:
        backend_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"SMS_BACKEND {path!r} cannot be imported: {error}") from error
    if not (isinstance(backend_class, type) and issubclass(backend_class, BaseSMSBackend)):
        raise ImproperlyConfigured(f"SMS_BACKEND {path!r} is not an SMS backend class.")
    return backend_class(**kwargs)
