from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts.mfa import current_code
from watch.demo.content import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo's police officer and coordinator."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(current_code(DEMO_TOTP_SECRET))
