"""SMS backends that do not talk to a provider, backend selection and configuration checks."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured

from notifications.sms import backends as sms_backends
from notifications.sms.backends import ConsoleBackend, LocmemBackend, SMSMessage, get_backend
from notifications.sms.elks import ElksBackend

ALERT = SMSMessage(to="+46701740605", body="Inbrott på Åsgatan i natt.", reference="17")


@pytest.fixture(autouse=True)
def sms_outbox() -> Iterator[list[SMSMessage]]:
    sms_backends.outbox.clear()
    yield sms_backends.outbox
    sms_backends.outbox.clear()


def test_console_backend_writes_recipient_reference_and_body() -> None:
    stream = io.StringIO()
    ConsoleBackend(stream=stream).send_messages([ALERT])
    output = stream.getvalue()
    assert "to +46701740605" in output
    assert "reference: 17" in output
    assert "Inbrott på Åsgatan i natt." in output


def test_console_backend_defaults_to_stdout(capsys) -> None:
    ConsoleBackend().send_messages([ALERT])
    assert "Inbrott på Åsgatan i natt." in capsys.readouterr().out


def test_console_backend_reports_success_with_segments() -> None:
    [result] = ConsoleBackend(stream=io.StringIO()).send_messages([ALERT])
    assert result.ok
    assert result.segments == 1


def test_locmem_backend_appends_to_outbox(sms_outbox: list[SMSMessage]) -> None:
    LocmemBackend().send_messages([ALERT, SMSMessage("+46701740606", "Andra", None)])
    assert [message.to for message in sms_outbox] == ["+46701740605", "+46701740606"]


def test_locmem_backend_returns_one_ok_result_per_message() -> None:
    results = LocmemBackend().send_messages([ALERT, ALERT])
    assert [(r.message, r.ok, r.permanent) for r in results] == [(ALERT, True, False)] * 2
    assert results[0].provider_id != results[1].provider_id


def test_malformed_number_is_a_permanent_failure(sms_outbox: list[SMSMessage]) -> None:
    [result] = LocmemBackend().send_messages([SMSMessage("0701740605", "Hej")])
    assert (result.ok, result.permanent) == (False, True)
    assert "E.164" in result.error
    assert sms_outbox == []


def test_empty_message_is_a_permanent_failure() -> None:
    [result] = LocmemBackend().send_messages([SMSMessage("+46701740605", "  ")])
    assert (result.ok, result.permanent) == (False, True)


def test_message_over_segment_limit_is_refused(settings, sms_outbox: list[SMSMessage]) -> None:
    settings.SMS_MAX_SEGMENTS = 2
    [result] = LocmemBackend().send_messages([SMSMessage("+46701740605", "a" * 307)])
    assert (result.ok, result.permanent) == (False, True)
    assert "fit_to_segments" in result.error
    assert sms_outbox == []


def test_refused_message_does_not_stop_the_rest(sms_outbox: list[SMSMessage]) -> None:
    results = LocmemBackend().send_messages([SMSMessage("nonsense", "Hej"), ALERT])
    assert [r.ok for r in results] == [False, True]
    assert sms_outbox == [ALERT]


def test_get_backend_defaults_to_console(settings) -> None:
    del settings.SMS_BACKEND
    assert type(get_backend()) is ConsoleBackend


def test_get_backend_uses_the_setting(settings) -> None:
    settings.SMS_BACKEND = "notifications.sms.backends.LocmemBackend"
    assert type(get_backend()) is LocmemBackend


def test_get_backend_path_overrides_the_setting(settings) -> None:
    settings.SMS_BACKEND = "notifications.sms.backends.ConsoleBackend"
    assert type(get_backend("notifications.sms.backends.LocmemBackend")) is LocmemBackend


def test_get_backend_passes_keyword_arguments() -> None:
    stream = io.StringIO()
    get_backend("notifications.sms.backends.ConsoleBackend", stream=stream).send_messages([ALERT])
    assert "Inbrott" in stream.getvalue()


def test_get_backend_with_unknown_path_is_misconfiguration() -> None:
    with pytest.raises(ImproperlyConfigured, match="cannot be imported"):
        get_backend("notifications.sms.backends.NoSuchBackend")


def test_get_backend_with_non_backend_path_is_misconfiguration() -> None:
    with pytest.raises(ImproperlyConfigured, match="not an SMS backend"):
        get_backend("notifications.sms.backends.SMSMessage")


def test_sender_defaults_to_grannsamv(settings) -> None:
    del settings.SMS_SENDER
    assert LocmemBackend().sender == "Grannsamv"


@pytest.mark.parametrize("sender", ["Grannsamverkan", "1Grannsamv", "Granns amv", "Gö", "+4670"])
def test_invalid_sender_is_misconfiguration(settings, sender: str) -> None:
    settings.SMS_SENDER = sender
    with pytest.raises(ImproperlyConfigured, match="SMS_SENDER"):
        LocmemBackend()


def test_phone_number_sender_is_accepted(settings) -> None:
    settings.SMS_SENDER = "+46701740699"
    assert LocmemBackend().sender == "+46701740699"


@pytest.mark.parametrize(
    ("username", "password"), [("", ""), ("u123", ""), ("", "secret"), (None, None)]
)
def test_elks_backend_without_credentials_refuses(settings, username, password) -> None:
    settings.ELKS_API_USERNAME = username
    settings.ELKS_API_PASSWORD = password
    with pytest.raises(ImproperlyConfigured, match="ELKS_API_USERNAME"):
        ElksBackend()


def test_elks_backend_without_credential_settings_refuses(settings) -> None:
    del settings.ELKS_API_USERNAME
    del settings.ELKS_API_PASSWORD
    with pytest.raises(ImproperlyConfigured):
        get_backend("notifications.sms.elks.ElksBackend")


def test_elks_backend_refuses_plain_http_to_another_host(settings) -> None:
    settings.ELKS_API_USERNAME, settings.ELKS_API_PASSWORD = "u123", "secret"
    settings.ELKS_API_URL = "http://api.46elks.com/a1"
    with pytest.raises(ImproperlyConfigured, match="https"):
        ElksBackend()


def test_elks_backend_defaults_to_the_46elks_api(settings) -> None:
    settings.ELKS_API_USERNAME, settings.ELKS_API_PASSWORD = "u123", "secret"
    del settings.ELKS_API_URL
    assert ElksBackend().api_url == "https://api.46elks.com/a1"


def test_unexpected_backend_error_keeps_earlier_results(monkeypatch) -> None:
    calls: list[SMSMessage] = []

    def deliver(self, message: SMSMessage) -> sms_backends.SendResult:
        calls.append(message)
        if len(calls) == 2:
            raise RuntimeError("bug")
        return sms_backends.SendResult(message, ok=True, segments=1)

    monkeypatch.setattr(LocmemBackend, "_deliver", deliver)
    second = SMSMessage("+46701740606", "Två")
    third = SMSMessage("+46701740607", "Tre")
    results = LocmemBackend().send_messages([ALERT, second, third])
    assert [(r.ok, r.retryable) for r in results] == [(True, False), (False, True), (False, True)]
    assert len(calls) == 2
