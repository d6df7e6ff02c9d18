"""The 46elks SMS API client (https://46elks.com/docs/send-sms), a ``BaseSMSBackend``."""

from __future__ import annotations

import base64
import email.message
import http.client
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from notifications.outbox.retry_after import retry_after_seconds
from notifications.sms.backends import (
    DEFAULT_TIMEOUT,
    BaseSMSBackend,
    SendResult,
    SMSMessage,
    _describe,
)
from notifications.sms.segments import count_segments, setting

logger = logging.getLogger(__name__)


DEFAULT_ELKS_API_URL = "https://api.46elks.com/a1"


_MAX_RESPONSE_BYTES = 64 * 1024


_ERROR_SNIPPET = 200


@dataclass(frozen=True)
class _HTTPResponse:
    status: int
    headers: Mapping[str, str] | email.message.Message
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
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.username: str = username or setting("ELKS_API_USERNAME", "")
        self.password: str = password or setting("ELKS_API_PASSWORD", "")
        if not self.username or not self.password:
            raise ImproperlyConfigured(
                "ElksBackend needs ELKS_API_USERNAME and ELKS_API_PASSWORD (from the 46elks "
                "dashboard)."
            )
        url: str = api_url or setting("ELKS_API_URL", DEFAULT_ELKS_API_URL)
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
            timeout if timeout is not None else setting("SMS_TIMEOUT", DEFAULT_TIMEOUT)
        )
        if self.timeout <= 0:
            raise ImproperlyConfigured("SMS_TIMEOUT must be a positive number of seconds.")
        self.dry_run = bool(dry_run if dry_run is not None else setting("ELKS_DRY_RUN", False))

    def _fields(self, message: SMSMessage) -> dict[str, str]:
        fields = {"from": self.sender, "to": message.to, "message": message.body}
        if self.dry_run:
            fields["dryrun"] = "yes"
        if message.receipt_url:
            fields["whendelivered"] = message.receipt_url
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
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
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
