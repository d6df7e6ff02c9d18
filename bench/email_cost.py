"""Where a worker's time goes per e-mail: the send code in this process, step by step.

Seeds members, dispatches an alert to them with the enqueueing stubbed out, then
runs what an e-mail send task runs (``alert_delivery.send_deliveries``) in this
process, against an SMTP sink in a child process (so the sink's CPU is not
counted here). Each step of sending a message is wrapped in a timer of this
process's CPU time and of wall time; what is left is the loop, the loading of
rows and Celery-free glue. The same message, sent by a plain smtplib loop,
gives the raw client's CPU per message beside it.
"""

from __future__ import annotations

import smtplib
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from celery.app.task import Task
from django.test.utils import override_settings

from bench import fanout, smtpflood
from notifications import emails
from notifications.alerts import delivery as alert_delivery
from notifications.alerts.models import BATCH_SIZE, AlertStatus, Channel, Delivery
from notifications.channels import email as email_channel
from notifications.outbox import pipeline
from tests.live import free_port

BATCH = BATCH_SIZE[Channel.EMAIL]


@dataclass
class Step:
    label: str
    owner: Any
    name: str
    cpu_s: float = 0.0
    wall_s: float = 0.0
    calls: int = 0


@dataclass
class Cost:
    emails: int
    cpu_s: float
    wall_s: float
    steps: list[Step] = field(default_factory=list)
    raw_cpu_s: float = 0.0  # the plain smtplib loop's own CPU for as many messages


def steps() -> list[Step]:
    return [
        Step("claim a batch of 100", pipeline, "claim"),
        Step("render the alert (per language, kept by the worker)", email_channel.Letter, "render"),
        Step("the member's copy: token, links, merged bytes", email_channel.Letter, "message"),
        Step("the SMTP backend: sender and recipient", emails, "envelope_address"),
        Step("smtplib: MAIL, RCPT, DATA", smtplib.SMTP, "sendmail"),
        Step("record the outcome (one UPDATE)", pipeline, "record_outcomes"),
    ]


@contextmanager
def timed(step: Step) -> Iterator[None]:
    original: Callable[..., Any] = getattr(step.owner, step.name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            step.cpu_s += time.process_time() - cpu
            step.wall_s += time.perf_counter() - wall
            step.calls += 1

    # A plain function in the class's place: a class's or an instance's call reaches it
    # with the same arguments the original gets (the original is looked up bound).
    with mock.patch.object(step.owner, step.name, wrapper):
        yield


@contextmanager
def smtp_sink() -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and aiosmtpd's own sink
        [
            *(sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}"),
            *("-c", "aiosmtpd.handlers.Sink"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                smtplib.SMTP("127.0.0.1", port, timeout=1).quit()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def measure(n: int) -> Cost:
    alert, _police, _members = fanout.prepare(n, 5, sms_every=10)
    alert.status = AlertStatus.SENDING
    alert.save(update_fields=["status"])
    with mock.patch.object(Task, "apply_async", return_value=None):
        alert_delivery.dispatch_here(alert.pk)
    ids = list(
        Delivery.objects.filter(alert=alert, channel=Channel.EMAIL)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    parts = steps()
    with (
        smtp_sink() as port,
        override_settings(
            EMAIL_BACKEND="notifications.emails.SMTPBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
        ),
    ):
        with ExitStack() as stack:
            for part in parts:
                stack.enter_context(timed(part))
            cpu, wall = time.process_time(), time.perf_counter()
            for start in range(0, len(ids), BATCH):
                alert_delivery.send_deliveries(Channel.EMAIL, ids[start : start + BATCH])
            cost = Cost(len(ids), time.process_time() - cpu, time.perf_counter() - wall, parts)
        sample = email_channel.Letter.render(alert, "sv").message(
            Delivery.objects.select_related("alert", "user").get(pk=ids[0])
        )
        message = sample.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]
        cpu = time.process_time()
        smtpflood.flood("127.0.0.1", port, len(ids), message)
        cost.raw_cpu_s = time.process_time() - cpu
    return cost
