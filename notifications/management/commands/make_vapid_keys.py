"""Print a new VAPID key pair for push notifications (RFC 8292)."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand

from notifications.push.webpush import encode_key


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair as environment variables. Browsers' subscriptions are "
        "tied to the public key: after a change, members set up their devices again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        key = ec.generate_private_key(ec.SECP256R1())
        private = key.private_numbers().private_value.to_bytes(32, "big")
        public = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.stdout.write(f"VAPID_PUBLIC_KEY={encode_key(public)}")
        self.stdout.write(f"VAPID_PRIVATE_KEY={encode_key(private)}")
