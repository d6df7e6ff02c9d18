"""Web Push (RFC 8030) from the server: payloads encrypted to the browser's keys as RFC 8291
``aes128gcm`` (http-ece), signed with the site's VAPID key (RFC 8292, py-vapid), posted to
the browser's push service.

A ``Pusher`` keeps one connection open per push service for a batch, as the e-mail
channel keeps one SMTP connection: most members' devices use one of three or four push
services. Before each connection is used, the address it reached is checked: a member
chooses the endpoint, so a name that resolves to this machine or a private network is
refused then, whatever it resolved to when the device was set up.
"""

from __future__ import annotations

import base64
import binascii
import http.client
import ipaddress
import logging
import re
import socket
import ssl
import time
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlsplit

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

from notifications.outbox.retry_after import retry_after_seconds
from notifications.push import conf

logger = logging.getLogger(__name__)

P256DH_BYTES = 65
AUTH_BYTES = 16
# RFC 8292: a token may be valid for at most 24 hours; a Pusher lives for one batch.
VAPID_TOKEN_SECONDS = 12 * 3600
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")
_ERROR_SNIPPET = 200
_MAX_RESPONSE_BYTES = 64 * 1024
# Names that never lead to a push service on the internet.
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".localdomain")


def decode_key(value: str, length: int) -> bytes | None:
    """``value`` as base64url (padded or not) of exactly ``length`` bytes, or None."""
    if not _BASE64URL.match(value):
        return None
    try:
        raw = base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == length else None


def encode_key(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def keys_match(public: str, private: str) -> bool:
    """Whether base64url ``public`` is the P-256 public key of raw ``private``."""
    secret = decode_key(private, 32)
    if secret is None:
        return False
    try:
        key = ec.derive_private_key(int.from_bytes(secret, "big"), ec.SECP256R1())
    except ValueError:
        return False
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return encode_key(point) == public.rstrip("=")


def is_p256_point(raw: bytes) -> bool:
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return False
    return True


def public_address(address: str) -> bool:
    """Whether an IP address is on the internet (not loopback, private, link-local…)."""
    return ipaddress.ip_address(address.split("%", 1)[0]).is_global


def local_name(host: str) -> bool:
    """Whether a host name can only mean this machine or a local network."""
    host = host.rstrip(".").lower()
    return "." not in host or host == "localhost" or host.endswith(_LOCAL_SUFFIXES)


@dataclass(frozen=True, slots=True)
class PushMessage:
    endpoint: str
    p256dh: str
    auth: str
    payload: bytes
    # Seconds the push service keeps it for a device that is offline.
    ttl: int
    urgent: bool = False


@dataclass(frozen=True, slots=True)
class PushResult:
    ok: bool
    # The push service no longer knows the subscription (404, 410): forget it.
    gone: bool = False
    permanent: bool = False
    error: str = ""
    retry_after: float | None = None


def encrypt(payload: bytes, p256dh: str, auth: str) -> bytes:
    """RFC 8291: a fresh key pair and salt per message; the header carries our public key."""
    return http_ece.encrypt(
        payload,
        private_key=ec.generate_private_key(ec.SECP256R1()),
        dh=base64.urlsafe_b64decode(p256dh + "=" * (-len(p256dh) % 4)),
        auth_secret=base64.urlsafe_b64decode(auth + "=" * (-len(auth) % 4)),
        version="aes128gcm",
    )


class Pusher:
    """Sends push messages, one connection per push service; use it as a context manager."""

    def __init__(self, *, timeout: float | None = None) -> None:
        if not conf.vapid_private_key():
            raise ValueError("VAPID_PRIVATE_KEY is not set")
        self.timeout = conf.timeout() if timeout is None else timeout
        self._vapid = Vapid02.from_raw(conf.vapid_private_key().encode("ascii"))
        self._connections: dict[tuple[str, str, int], http.client.HTTPConnection] = {}
        self._authorization: dict[str, str] = {}

    def __enter__(self) -> Pusher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for connection in self._connections.values():
            connection.close()
        self._connections.clear()

    def send(self, message: PushMessage) -> PushResult:
        parts = urlsplit(message.endpoint)
        host, scheme = parts.hostname or "", parts.scheme
        port = parts.port or (443 if scheme == "https" else 80)
        origin = f"{scheme}://{parts.netloc}"
        body = encrypt(message.payload, message.p256dh, message.auth)
        headers = {
            "Authorization": self._authorization_for(origin),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(message.ttl),
            "Urgency": "high" if message.urgent else "normal",
        }
        path = parts.path or "/"
        if parts.query:
            path += f"?{parts.query}"
        key = (scheme, host, port)
        try:
            connection = self._connection(key)
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read(_MAX_RESPONSE_BYTES).decode("utf-8", "replace")
        except RefusedAddress as refused:
            return PushResult(ok=False, gone=True, permanent=True, error=str(refused))
        except (OSError, http.client.HTTPException) as error:
            self._drop(key)
            return PushResult(ok=False, error=f"push service unreachable: {error!r}"[:500])
        if response.will_close:
            self._drop(key)
        return _result(response.status, response.getheader("Retry-After"), answer)

    def _authorization_for(self, origin: str) -> str:
        if origin not in self._authorization:
            claims = {
                "aud": origin,
                "sub": conf.vapid_subject(),
                "exp": int(time.time()) + VAPID_TOKEN_SECONDS,
            }
            self._authorization[origin] = self._vapid.sign(claims)["Authorization"]
        return self._authorization[origin]

    def _connection(self, key: tuple[str, str, int]) -> http.client.HTTPConnection:
        connection = self._connections.get(key)
        if connection is not None and connection.sock is not None:
            return connection
        scheme, host, port = key
        if scheme != "https" and not conf.allow_local_endpoints():
            raise RefusedAddress(f"push endpoint is not https: {scheme}")
        # The address is checked on the bare TCP connection, before a byte of TLS is
        # sent: a member's endpoint must not make the server greet hosts on its network.
        sock = socket.create_connection((host, port), timeout=self.timeout)
        peer = sock.getpeername()[0]
        if not (conf.allow_local_endpoints() or public_address(peer)):
            sock.close()
            raise RefusedAddress(f"push service {host} is at a local address ({peer})")
        if scheme == "https":
            opened: http.client.HTTPConnection = http.client.HTTPSConnection(
                host, port, timeout=self.timeout
            )
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        else:
            opened = http.client.HTTPConnection(host, port, timeout=self.timeout)
        opened.sock = sock
        self._connections[key] = opened
        return opened

    def _drop(self, key: tuple[str, str, int]) -> None:
        if (connection := self._connections.pop(key, None)) is not None:
            connection.close()


class RefusedAddress(Exception):
    """The endpoint leads to this machine or a private network."""


def _result(status: int, retry_after: str | None, answer: str) -> PushResult:
    """What a push service's answer means (RFC 8030, 5; RFC 8292, 4)."""
    text = " ".join(answer.split())[:_ERROR_SNIPPET]
    if 200 <= status < 300:
        return PushResult(ok=True)
    if status in (404, 410):
        return PushResult(ok=False, gone=True, permanent=True, error=f"{status} subscription gone")
    if status == 413:
        return PushResult(ok=False, permanent=True, error=f"413 payload too large: {text}")
    if status == 429 or status >= 500:
        return PushResult(
            ok=False,
            error=f"{status} push service busy: {text}".strip(),
            retry_after=retry_after_seconds(retry_after),
        )
    # 400 malformed, 401/403 our VAPID key is not the one the device subscribed with:
    # the same message would be refused again.
    logger.error("push service answered %s: %s", status, text)
    return PushResult(ok=False, permanent=True, error=f"{status} refused: {text}".strip())
