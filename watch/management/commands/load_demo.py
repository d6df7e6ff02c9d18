from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from watch.demo.content import DEMO_PASSWORD, DEMO_TOTP_SECRET
from watch.demo.loader import LOGINS, load_demo


class Command(BaseCommand):
    help = "Load a year of demo history for Mariestad, Töreboda and Gullspång. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if load_demo():
            took = time.perf_counter() - started
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {took:.1f} s."))
        else:
            self.stdout.write("Demo data is already loaded.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        width = max(len(email) for email, _name, _role in LOGINS)
        for email, _name, role in LOGINS:
            self.stdout.write(f"  {email.ljust(width)}  {role}")
        self.stdout.write(
            f"Police and coordinator sign in with two-factor authentication: add the TOTP "
            f"secret {DEMO_TOTP_SECRET} to an authenticator app, or print the current code "
            f"with `manage.py demo_code` (demo only)."
        )
