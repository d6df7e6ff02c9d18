"""The README's screenshots, taken from the demo: each role's start page.

    .venv/bin/python docs/screenshots.py

Loads the demo into a fresh SQLite database in a temporary folder, serves it with
runserver, logs in as the demo's member, area contact and police officer (with the demo's
two-factor code) in Debian's Chromium, and writes docs/screenshots/*.png at 1280 px and
360 px. Nothing leaves the machine: every request off the local server is blocked, so the
maps show the municipalities' borders instead of tiles.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "grannsamverkan-demo"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# (file name, login or None, page)
SHOTS = [
    ("resident", "medlem@example.com", "/"),
    ("area-contact", "kontaktombud@example.com", "/"),
    ("police", "polis@example.com", "/"),
    ("public-map", None, "/areas/"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "MEDIA_ROOT": f"{folder}/media",
        }
        env.pop("REDIS_URL", None)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True)
        subprocess.run([*manage, "load_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz/live", timeout=1)  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.1)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=LAUNCH_ARGS
                )
                OUT.mkdir(parents=True, exist_ok=True)
                for name, login, path in SHOTS:
                    shoot(browser, base, env, manage, name, login, path)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)


def shoot(
    browser: Browser,
    base: str,
    env: dict[str, str],
    manage: list[str],
    name: str,
    login: str | None,
    path: str,
) -> None:
    for width, height in ((1280, 900), (360, 780)):
        context = browser.new_context(
            base_url=base, viewport={"width": width, "height": height}, locale="sv-SE"
        )
        context.route(lambda url: not url.startswith(base), lambda route: route.abort())
        page = context.new_page()
        if login:
            page.goto("/accounts/login/")
            page.fill("input[name=login]", login)
            page.fill("input[name=password]", PASSWORD)
            page.locator("main form button[type=submit]").first.click()
            # The click only starts the login: wait for the page it leads to, or the
            # police officer's two-factor step is missed and the shot shows the start page
            # signed out.
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
            if "/2fa/" in page.url:
                page.fill("input[name=code]", fresh_code(env, manage))
                page.locator("form:has(input[name=code]) button[type=submit]").click()
                page.wait_for_url(lambda url: "/2fa/" not in url)
        page.goto(path)
        page.wait_for_timeout(800)  # the maps draw their shapes
        target = OUT / f"{name}-{width}.png"
        page.screenshot(path=str(target), animations="disabled")
        print(target.relative_to(ROOT))
        context.close()


USED_CODES: set[str] = set()


def fresh_code(env: dict[str, str], manage: list[str]) -> str:
    """The demo's two-factor code, waiting for the next one if this one was used: a code
    is accepted once (the second width's login comes within the same 30 s)."""
    while True:
        code = subprocess.run(
            [*manage, "demo_code"], env=env, check=True, capture_output=True, text=True
        ).stdout.split()[-1]
        if code not in USED_CODES:
            USED_CODES.add(code)
            return code
        time.sleep(2)


if __name__ == "__main__":
    main()
