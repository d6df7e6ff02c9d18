"""ElksBackend's real HTTP code against recorded 46elks responses on a local server.

The fake server (tests/recorded_http.py) replays the files in tests/data/46elks/
in the order queued and records every request.
"""

from __future__ import annotations

import base64
import json
import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from notifications.sms.backends import SendResult, SMSMessage
from notifications.sms.elks import ElksBackend
from tests.recorded_http import RecordedServer, recorded_server

DATA = Path(__file__).parent / "data" / "46elks"
USERNAME = "u0123456789abcdef0123456789abcdef"
PASSWORD = "0123456789ABCDEF0123456789ABCDEF"
ALERT = SMSMessage(
    to="+46701740605",
    body="Inbrott på Storgatan i natt. Håll utkik efter en vit skåpbil.",
    reference="delivery-41",
)
LONG_ALERT = SMSMessage(
    to="+46701740606",
    body=json.loads(json.loads((DATA / "success_multipart.json").read_text())["body"])["message"],
    reference="delivery-42",
)


@pytest.fixture
def elks(settings, monkeypatch) -> Iterator[RecordedServer]:
    with recorded_server(DATA, monkeypatch, path="/a1") as fake:
        settings.ELKS_API_URL = fake.url
        settings.ELKS_API_USERNAME = USERNAME
        settings.ELKS_API_PASSWORD = PASSWORD
        settings.SMS_SENDER = "Grannsamv"
        settings.SMS_TIMEOUT = 5
        settings.ELKS_DRY_RUN = False
        yield fake


def send(*messages: SMSMessage, **kwargs: Any) -> list[SendResult]:
    return ElksBackend(**kwargs).send_messages(messages)


def test_success_returns_provider_id_and_parts(elks: RecordedServer) -> None:
    elks.respond_with("success_single")
    [result] = send(ALERT)
    assert (result.ok, result.provider_id, result.segments) == (
        True,
        "s70df59406a1b4643b96f3f91e0bfb7b0",
        1,
    )
    assert result.message == ALERT


def test_request_is_a_post_to_the_sms_resource(elks: RecordedServer) -> None:
    elks.respond_with("success_single")
    send(ALERT)
    [request] = elks.requests
    assert (request.method, request.path) == ("POST", "/a1/sms")


def test_request_uses_basic_auth(elks: RecordedServer) -> None:
    elks.respond_with("success_single")
    send(ALERT)
    expected = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
    assert elks.requests[0].headers["Authorization"] == f"Basic {expected}"


def test_request_sends_from_to_and_message_form_fields(elks: RecordedServer) -> None:
    elks.respond_with("success_single")
    send(ALERT)
    request = elks.requests[0]
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.form == {"from": "Grannsamv", "to": "+46701740605", "message": ALERT.body}


def test_swedish_letters_are_utf8_form_encoded(elks: RecordedServer) -> None:
    elks.respond_with("success_single")
    send(SMSMessage("+46701740605", "åäö ÅÄÖ"))
    body = elks.requests[0].body
    assert b"message=%C3%A5%C3%A4%C3%B6+%C3%85%C3%84%C3%96" in body
    assert elks.requests[0].form["message"] == "åäö ÅÄÖ"


def test_multipart_success_reports_the_providers_part_count(elks: RecordedServer) -> None:
    elks.respond_with("success_multipart")
    [result] = send(LONG_ALERT)
    assert (result.ok, result.provider_id, result.segments) == (
        True,
        "s1f5e0d8f2c7b44e6a9d3c1b0a7e6f5d4",
        2,
    )


def test_each_message_is_its_own_request_and_result(elks: RecordedServer) -> None:
    elks.respond_with("success_single", "success_multipart")
    results = send(ALERT, LONG_ALERT)
    assert [r.message for r in results] == [ALERT, LONG_ALERT]
    assert [r.form["to"] for r in elks.requests] == ["+46701740605", "+46701740606"]


def test_rate_limited_is_temporary_with_retry_after(elks: RecordedServer) -> None:
    elks.respond_with("rate_limited")
    [result] = send(ALERT)
    assert (result.ok, result.permanent, result.retry_after) == (False, False, 30.0)
    assert "429" in result.error


def test_rate_limited_batch_stops_hitting_the_api(elks: RecordedServer) -> None:
    elks.respond_with("rate_limited", "success_single")
    results = send(ALERT, LONG_ALERT)
    assert len(elks.requests) == 1
    assert (results[1].ok, results[1].permanent, results[1].retry_after) == (False, False, 30.0)


def test_invalid_to_number_is_permanent(elks: RecordedServer) -> None:
    elks.respond_with("invalid_to_number")
    [result] = send(ALERT)
    assert (result.ok, result.permanent) == (False, True)
    assert result.error == "46elks HTTP 403: Invalid to number"


def test_invalid_to_number_does_not_stop_the_batch(elks: RecordedServer) -> None:
    elks.respond_with("invalid_to_number", "success_multipart")
    results = send(ALERT, LONG_ALERT)
    assert [r.ok for r in results] == [False, True]


def test_invalid_from_number_is_temporary(elks: RecordedServer) -> None:
    # The sender is our configuration: once fixed, the alerts should go out.
    elks.respond_with("invalid_from_number")
    [result] = send(ALERT)
    assert (result.ok, result.permanent) == (False, False)


def test_auth_failure_is_temporary(elks: RecordedServer) -> None:
    elks.respond_with("auth_failure")
    [result] = send(ALERT)
    assert (result.ok, result.permanent, result.http_status) == (False, False, 401)


def test_auth_failure_is_logged_as_error(elks: RecordedServer, caplog) -> None:
    elks.respond_with("auth_failure")
    with caplog.at_level(logging.ERROR, logger="notifications.sms"):
        send(ALERT)
    assert any("credentials" in r.getMessage() for r in caplog.records)
    assert PASSWORD not in caplog.text


def test_auth_failure_stops_the_batch(elks: RecordedServer) -> None:
    elks.respond_with("auth_failure", "success_single")
    results = send(ALERT, LONG_ALERT)
    assert len(elks.requests) == 1
    assert [r.retryable for r in results] == [True, True]


def test_server_error_is_temporary(elks: RecordedServer) -> None:
    elks.respond_with("server_error")
    [result] = send(ALERT)
    assert (result.ok, result.permanent, result.http_status) == (False, False, 503)


def test_timeout_is_a_quick_temporary_failure(elks: RecordedServer, settings) -> None:
    settings.SMS_TIMEOUT = 0.5
    elks.delay = 10
    started = time.monotonic()
    [result] = send(ALERT)
    assert time.monotonic() - started < 3
    assert (result.ok, result.permanent) == (False, False)
    assert "did not answer within 0.5 s" in result.error


def test_connection_refused_is_temporary(elks: RecordedServer) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    [result] = send(ALERT, api_url=f"http://127.0.0.1:{closed_port}/a1")
    assert (result.ok, result.permanent) == (False, False)
    assert "Could not reach 46elks" in result.error


def test_dry_run_sends_dryrun_field(elks: RecordedServer, settings) -> None:
    settings.ELKS_DRY_RUN = True
    elks.respond_with("success_single")
    send(ALERT)
    assert elks.requests[0].form["dryrun"] == "yes"


def test_a_message_asks_for_its_handset_receipt(elks: RecordedServer) -> None:
    elks.respond_with("success_single")
    receipt_url = "https://grannsamverkan.example/notifications/sms/receipts/41:sig/"
    send(SMSMessage(ALERT.to, ALERT.body, reference="41", receipt_url=receipt_url))
    assert elks.requests[0].form["whendelivered"] == receipt_url


def test_no_receipt_is_asked_for_without_a_url(elks: RecordedServer) -> None:
    elks.respond_with("success_single")
    send(ALERT)
    assert "whendelivered" not in elks.requests[0].form


def test_malformed_number_is_refused_without_a_request(elks: RecordedServer) -> None:
    [result] = send(SMSMessage("070-174 06 05", "Hej"))
    assert (result.ok, result.permanent) == (False, True)
    assert elks.requests == []
