"""Push beside e-mail: one alert to N members, each with one device set up for push.

The alert goes out through ``send_alert`` to real Celery workers, as in the fan-out;
e-mail goes to the SMTP sink on loopback, and push (encrypted, VAPID-signed: the
channel's own code, notifications/channels/push.py) to a push service on loopback that
answers 201 to every message, keeping connections open as push services do. Both
channels share the same workers in the same run; each one's rate is its messages over
the time from its first message to its last (dispatch queues a slice's e-mail before its
push, so with one slice the workers send one channel and then the other).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.db import transaction
from django.db.models import Max, Min

from bench import fanout
from config.celery_app import heartbeat
from notifications.alerts import services as alert_services
from notifications.alerts.models import Channel
from notifications.push.models import PushSubscription
from tests.live import celery_worker
from tests.push_service import Device, vapid_keys


class FastPushService(ThreadingHTTPServer):
    """Reads each message and answers 201 Created, over kept-alive connections."""

    daemon_threads = True

    def __init__(self) -> None:
        self.received = 0
        self._lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def count(self) -> None:
        with self._lock:
            self.received += 1


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FastPushService

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.count()
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def push_service() -> Iterator[FastPushService]:
    server = FastPushService()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Result:
    n: int
    workers: int
    send_s: float
    final_s: float
    deliveries: Counter[tuple[str, str]]
    # channel → seconds from the send call to its first and its last message sent
    first_sent_s: dict[str, float]
    last_sent_s: dict[str, float]
    emails_at_sink: int
    pushes_at_service: int

    def sent(self, channel: str) -> int:
        return self.deliveries[(channel, "sent")]

    def rate(self, channel: str) -> float:
        return self.sent(channel) / (self.last_sent_s[channel] - self.first_sent_s[channel])


def subscribe_everyone(user_ids: list[int], url: str) -> None:
    """One device per member; one key pair for all, since each message's key is fresh."""
    device = Device()
    PushSubscription.objects.bulk_create(
        [
            PushSubscription(
                user_id=user_id,
                endpoint=f"{url}/wpush/v2/{user_id}",
                p256dh=device.p256dh,
                auth=device.auth,
                label="Bench",
            )
            for user_id in user_ids
        ],
        batch_size=5000,
    )


def measure(n: int, *, workers: int = 4) -> Result:
    # E-mail and in-app to all, push to all; one text message (to member 0) at most.
    alert, police, members = fanout.prepare(n, 20, sms_every=n + 1)
    public, private = vapid_keys()
    with (
        fanout.counting_sink() as sink,
        push_service() as service,
        celery_worker(
            "--pool=prefork",
            f"--concurrency={workers}",
            DJANGO_SETTINGS_MODULE="bench.push_settings",
            EMAIL_URL=sink.url,
            SMS_BACKEND="notifications.sms.backends.ConsoleBackend",
            VAPID_PUBLIC_KEY=public,
            VAPID_PRIVATE_KEY=private,
            VAPID_SUBJECT="mailto:bench@example.org",
            DEBUG="false",
        ) as worker,
    ):
        host, port = service.server_address[:2]
        subscribe_everyone(members.user_ids, f"http://{host!s}:{port}")
        heartbeat.delay()
        started_at = datetime.now().astimezone()
        started = time.perf_counter()
        with transaction.atomic():
            alert_services.send_alert(actor=police, alert=alert)
        send_s = time.perf_counter() - started
        fanout.wait_until_final(alert, worker, timeout=fanout.timeout_for(n))
        final_s = time.perf_counter() - started
    sent = alert.deliveries.filter(status="sent", channel__in=[Channel.EMAIL, Channel.PUSH])
    times = sent.values("channel").annotate(first=Min("sent_at"), last=Max("sent_at"))
    after = {row["channel"]: row for row in times}
    return Result(
        n=n,
        workers=workers,
        send_s=send_s,
        final_s=final_s,
        deliveries=Counter(alert.deliveries.values_list("channel", "status")),
        first_sent_s={c: (row["first"] - started_at).total_seconds() for c, row in after.items()},
        last_sent_s={c: (row["last"] - started_at).total_seconds() for c, row in after.items()},
        emails_at_sink=sink.count,
        pushes_at_service=service.received,
    )
