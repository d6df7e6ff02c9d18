"""`python3 dev.py stack`: the production stack, run as an operator would, over HTTPS.

The command starts the compose services' own commands with production settings
(`.venv-production`, made from requirements.txt alone) against PostgreSQL and Redis,
behind Caddy with TLS, and an SMTP server that keeps mail in a maildir. This test
logs in as the demo's police officer with the second factor, sends an alert to an
area, finds it in the maildir, checks that invented X-Forwarded-For headers buy no
extra login attempts, and stops the stack.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import mailbox
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.header import decode_header, make_header
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings
from psycopg import sql

from accounts.mfa import current_code
from tests.live import free_port, require_live_services, wait_for
from watch.demo.content import DEMO_PASSWORD, DEMO_TOTP_SECRET

# One stack per worker: pytest-xdist's group would keep these tests on one, but with
# pytest 9.2 it does not (xdist 3.8 marks the group in a node id attribute pytest no
# longer reads), so each worker that gets one of them starts a stack of its own.
pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("production-stack")]

ROOT = Path(__file__).resolve().parent.parent
# A database and a Redis database per xdist worker, as the static files and the state
# folder are (dev.py stack): two stacks on one database dropped it under each other and
# flushed each other's rate-limit counters, and two collectstatic into one folder deleted
# each other's files.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_INDEX = int(_WORKER[2:]) if _WORKER.startswith("gw") else 0
DATABASE = f"gsv_stack_test_{_INDEX}"
REDIS_DB = 11 - _INDEX
READY = re.compile(r"The production stack is at (https://\S+)")


def require_the_stack() -> None:
    require_live_services()
    missing = [
        what
        for what, present in (
            ("Caddy (apt-get install caddy)", shutil.which("caddy")),
            (
                ".venv-production (python3 dev.py install --production)",
                (ROOT / ".venv-production/bin/python").exists(),
            ),
        )
        if not present
    ]
    if missing:
        reason = "the production stack needs " + " and ".join(missing)
        if os.environ.get("GSV_REQUIRE_LIVE") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def drop_database() -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE))
        )


@dataclass
class Stack:
    url: str
    process: subprocess.Popen[str]
    state: Path
    lines: list[str]

    @property
    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(
            cafile=self.state / "caddy-data/caddy/pki/authorities/local/root.crt"
        )

    def mail(self) -> list[tuple[str, str]]:
        """(recipient, subject) of every message the stack's SMTP server kept."""
        folder = self.state / "mail"
        if not folder.exists():
            return []
        return [
            (message["To"], str(make_header(decode_header(message["Subject"]))))
            for message in mailbox.Maildir(folder, create=False)
        ]


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    require_the_stack()
    drop_database()
    redis_url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + f"/{REDIS_DB}"
    redis.Redis.from_url(redis_url).flushdb()
    state = tmp_path_factory.mktemp("stack")
    port = free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "dev.py", "stack", "--port", str(port)),
            *("--database-url", database_url(DATABASE), "--redis-url", redis_url),
            *("--state-dir", str(state)),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={key: value for key, value in os.environ.items() if key != "DATABASE_URL"},
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if READY.search(line):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(240):
            pytest.fail("the stack did not start in four minutes:\n" + "".join(lines[-60:]))
        url = READY.search("".join(lines))[1]  # type: ignore[index]
        yield Stack(url, process, state, lines)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        drop_database()


class Browser:
    """Cookies, CSRF tokens and redirects, as a browser handles them; no JavaScript."""

    def __init__(self, stack: Stack) -> None:
        self.base = stack.url.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies),
            urllib.request.HTTPSHandler(context=stack.ssl_context),
        )

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 - https

    def post(
        self, path: str, data: dict[str, str | list[str]], headers: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """Post ``data`` as the form on ``path`` would, with the CSRF token of the session."""
        token = next(c.value for c in self.cookies if c.name == settings.CSRF_COOKIE_NAME)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True)
        request = urllib.request.Request(  # noqa: S310 - https, to the stack
            self.base + path,
            data=body.encode(),
            headers={"Referer": self.base + path, **(headers or {})},
        )
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> tuple[int, str, str]:
        """(status, final URL, body)."""
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read().decode()


def test_the_police_officer_logs_in_with_the_second_factor_and_the_alert_reaches_the_mail_server(
    stack,
):
    browser = Browser(stack)
    browser.get("/accounts/login/")
    status, url, _body = browser.post(
        "/accounts/login/", {"login": "polis@example.com", "password": DEMO_PASSWORD}
    )
    assert (status, urllib.parse.urlsplit(url).path) == (200, "/accounts/2fa/authenticate/")
    status, url, _body = browser.post(
        "/accounts/2fa/authenticate/", {"code": current_code(DEMO_TOTP_SECRET)}
    )
    assert status == 200
    assert urllib.parse.urlsplit(url).path != "/accounts/2fa/authenticate/"

    areas = json.loads(browser.get("/areas.geojson?municipality=mariestad")[2])["features"]
    area = next(feature for feature in areas if feature["properties"]["name"] == "Marieholm")
    # The composer's steps, as a browser without JavaScript posts them: What, Who, When.
    browser.get("/notifications/alerts/new/")
    status, url, body = browser.post(
        "/notifications/alerts/new/",
        {
            "kind": "police_alert",
            "severity": "urgent",
            "title": "Stackprov: inbrott på Marieholm",
            "body": "Håll utkik efter en vit skåpbil.",
        },
    )
    who_path = urllib.parse.urlsplit(url).path
    assert (status, re.fullmatch(r"/notifications/alerts/\d+/who/", who_path)) != (200, None), body
    status, url, body = browser.post(
        who_path, {"target_kind": "areas", "target_areas": [str(area["id"])]}
    )
    when_path = urllib.parse.urlsplit(url).path
    assert (status, when_path) == (200, who_path.replace("/who/", "/when/")), body
    status, url, body = browser.post(when_path, {"send": "now"})
    alert_path = urllib.parse.urlsplit(url).path  # Check
    assert (status, alert_path) == (200, who_path.removesuffix("who/")), body
    assert "Stackprov: inbrott på Marieholm" in body
    status, _url, _body = browser.post(f"{alert_path}send/", {})
    assert status == 200

    arrived = wait_for(
        lambda: [m for m in stack.mail() if m[1].endswith("Stackprov: inbrott på Marieholm")],
        timeout=60,
        interval=0.5,
    )
    assert "medlem@example.com" in {recipient for recipient, _subject in arrived}
    health = json.loads(browser.get("/healthz")[2])
    assert health["stale"] == []


def test_invented_forwarded_for_headers_do_not_buy_more_login_attempts(stack):
    browser = Browser(stack)
    browser.get("/accounts/login/")
    # The stack speaks Swedish unless one chooses English (accounts.middleware).
    browser.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    refused = [
        "Too many failed login attempts" in body
        for _status, _url, body in (
            browser.post(
                "/accounts/login/",
                {"login": f"nobody{attempt}@example.com", "password": "not the password"},
                headers={"X-Forwarded-For": f"198.51.100.{attempt}"},
            )
            for attempt in range(11)
        )
    ]

    # allauth's "login_failed": 10 a minute per client address, counted as Caddy reports it.
    assert refused == [False] * 10 + [True]


def test_a_body_over_the_proxys_limit_gets_the_sites_own_page(stack):
    url = urllib.parse.urlsplit(stack.url)
    connection = http.client.HTTPSConnection(url.hostname, url.port, context=stack.ssl_context)
    # A browser declares the size before it sends the body: Caddy answers at once, so
    # only the headers and a little of the 7 MB go out here.
    connection.putrequest("POST", "/observations/new/")
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Content-Length", str(7_000_000))
    connection.endheaders(b"x" * 1024)
    response = connection.getresponse()
    connection.close()
    assert (response.status, response.getheader("Location")) == (303, "/errors/413/")

    # The page it sends the browser to (a GET, after a 303), rendered by the site.
    status, _url, body = Browser(stack).get("/errors/413/")
    assert status == 413
    assert "Fel 413" in body
    assert 'href="tel:112"' in body


def test_the_stack_stops_cleanly(stack):
    stack.process.send_signal(signal.SIGTERM)

    assert stack.process.wait(timeout=60) == 0
    output = "".join(stack.lines)
    assert "Traceback" not in output
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(stack.url, timeout=5, context=stack.ssl_context)  # noqa: S310
