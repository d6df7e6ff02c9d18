"""``manage.py receive_bounces``: the bounce domain's mail server (notifications.bounces)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from notifications import verp
from notifications.bounces import receiver


class Command(BaseCommand):
    help = (
        "Receive delivery status notifications and complaints over SMTP for "
        "BOUNCE_ADDRESS_DOMAIN until stopped (SIGTERM or Ctrl+C)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=2525, help="port to listen on")

    def handle(self, *args: Any, **options: Any) -> None:
        if not verp.enabled():
            raise CommandError("Set BOUNCE_ADDRESS_DOMAIN: without it no mail has a return path.")
        server = receiver.controller(host=options["host"], port=options["port"])
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        server.start()
        self.stdout.write(
            f"Receiving bounces for {settings.BOUNCE_ADDRESS_DOMAIN} "
            f"on {options['host']}:{options['port']}"
        )
        try:
            stop.wait()
        finally:
            server.stop()
        self.stdout.write("Stopped.")
