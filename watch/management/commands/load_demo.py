from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from watch.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo


class Command(BaseCommand):
    help = "Load the demo municipalities, contacts, users and areas. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        width = max(len(email) for email, _ in logins)
        for email, role in logins:
            self.stdout.write(f"  {email.ljust(width)}  {role}")
        self.stdout.write(
            f"Police and coordinator sign in with two-factor authentication: add the TOTP "
            f"secret {DEMO_TOTP_SECRET} to an authenticator app, or print the current code "
            f"with `manage.py demo_code` (demo only)."
        )
