"""A push service on 127.0.0.1 and a browser's side of a subscription, for the push tests.

``Device`` is what a browser holds: a P-256 key pair and a 16-byte auth secret, made in
the test; it decrypts an ``aes128gcm`` body (RFC 8291) with its private key, so a test
proves the encryption and not only the call. ``PushService`` answers each POST with the
status queued by ``answer`` (201 when none is) and records every request.
"""

from __future__ import annotations

import json
import os
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from notifications.push.webpush import encode_key
from tests.recorded_http import PROXY_VARIABLES


@dataclass
class Device:
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return encode_key(
            self.key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return encode_key(self.secret)

    def subscription(self, endpoint: str) -> dict[str, Any]:
        """What ``PushSubscription.toJSON()`` gives in a browser."""
        return {"endpoint": endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}

    def decrypt(self, body: bytes) -> dict[str, Any]:
        plain = http_ece.decrypt(
            body, private_key=self.key, auth_secret=self.secret, version="aes128gcm"
        )
        return json.loads(plain)


def vapid_keys() -> tuple[str, str]:
    """A fresh (public, private) VAPID pair, base64url, as make_vapid_keys prints it."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return encode_key(public), encode_key(key.private_numbers().private_value.to_bytes(32, "big"))


def configure(settings: Any, subject: str = "mailto:push@example.com") -> str:
    """Push on, with a fresh VAPID pair; its public key."""
    public, private = vapid_keys()
    settings.VAPID = {"PUBLIC_KEY": public, "PRIVATE_KEY": private, "SUBJECT": subject}
    return public


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class PushService:
    url: str = ""
    requests: list[Received] = field(default_factory=list)
    answers: deque[tuple[int, dict[str, str]]] = field(default_factory=deque)
    delay: float = 0.0
    release: threading.Event = field(default_factory=threading.Event)

    def answer(self, status: int, **headers: str) -> None:
        self.answers.append((status, headers))


def _handler_for(service: PushService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as push services do

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            service.requests.append(Received(self.path, dict(self.headers), body))
            if service.delay and service.release.wait(service.delay):
                return
            status, headers = service.answers.popleft() if service.answers else (201, {})
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def push_service(monkeypatch: pytest.MonkeyPatch) -> Iterator[PushService]:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    service = PushService()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(service))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    service.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield service
    finally:
        service.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
