"""The raw limit of e-mail: one message, prebuilt, sent ``count`` times over one connection.

Runs in its own process (as the Celery workers do), so it does not share an
interpreter lock with the SMTP sink it sends to. Prints the seconds the loop took.

    python -m bench.smtpflood HOST PORT COUNT MESSAGE_FILE
"""

from __future__ import annotations

import smtplib
import sys
import time
from pathlib import Path


def flood(host: str, port: int, count: int, message: bytes) -> float:
    with smtplib.SMTP(host, port) as smtp:
        started = time.perf_counter()
        for index in range(count):
            smtp.sendmail("noreply@localhost", [f"raw-{index}@example.org"], message)
        return time.perf_counter() - started


if __name__ == "__main__":
    host, port, count, path = sys.argv[1:5]
    print(f"{flood(host, int(port), int(count), Path(path).read_bytes()):.6f}")
