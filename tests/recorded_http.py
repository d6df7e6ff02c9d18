"""A local HTTP server that replays recorded provider responses.

The real client code of an unreachable provider (46elks, Nominatim) is tested
against it: the standard library's http.server on 127.0.0.1 (free port, own
thread) answers with the recorded files queued by ``respond_with`` in order and
records every request, so a test sees exactly what would go over the wire.
A recorded file is JSON: ``{"status": 200, "headers": {...}, "body": "..."}``.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

PROXY_VARIABLES = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy")


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, str]:
        # strict: a body that is not valid form encoding fails the test here.
        pairs = urllib.parse.parse_qsl(self.body.decode("ascii"), strict_parsing=True)
        return dict(pairs)

    @property
    def query(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))


@dataclass
class RecordedServer:
    data_dir: Path
    url: str = ""
    requests: list[ReceivedRequest] = field(default_factory=list)
    responses: deque[dict[str, Any]] = field(default_factory=deque)
    delay: float = 0.0
    # Set at teardown so a handler still sleeping for a timeout test ends at once.
    release: threading.Event = field(default_factory=threading.Event)

    def respond_with(self, *names: str) -> None:
        for name in names:
            self.responses.append(json.loads((self.data_dir / f"{name}.json").read_text("utf-8")))


def _handler_for(fake: RecordedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            fake.requests.append(ReceivedRequest(self.command, self.path, dict(self.headers), body))
            if fake.delay and fake.release.wait(fake.delay):
                return
            recorded = (
                fake.responses.popleft()
                if fake.responses
                else {"status": 500, "headers": {}, "body": "test queued no response"}
            )
            payload = recorded["body"].encode("utf-8")
            try:
                self.send_response(recorded["status"])
                for name, value in recorded["headers"].items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        # Recorded rather than answered 501, so a wrong method shows in the assertion.
        do_GET = do_PUT = do_POST

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def recorded_server(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, path: str = "/"
) -> Iterator[RecordedServer]:
    """Serve ``data_dir``'s recordings; ``fake.url`` is the server's URL with ``path``."""
    # A proxy from the environment would swallow requests meant for 127.0.0.1.
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    fake = RecordedServer(data_dir)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(fake))
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_port}{path}"
    try:
        yield fake
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
