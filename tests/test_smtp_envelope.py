"""The SMTP backend writes each message's envelope as Django's would, parsing less.

``emails.SMTPBackend`` is Django's SMTP backend but for the envelope's sender and
recipients (``emails.envelope_address``): a plain address goes as it is, any
other through Django's ``sanitize_address``. Whatever the address, the result is
Django's, or the same error; and ``EMAIL_URL=smtp://…`` selects this backend.
"""

from __future__ import annotations

import pytest
from django.core.mail import EmailMessage
from django.core.mail.message import sanitize_address
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from notifications import emails
from tests.live import smtp_server
from tests.settings_process import load_settings

# No example database, so runs do not pile up examples under .hypothesis/ in the checkout.
examples = hypothesis_settings(max_examples=500, deadline=None, database=None)


@examples
@given(st.from_regex(emails._PLAIN_ADDRESS, fullmatch=True))
def test_a_plain_address_is_written_as_it_is_as_django_writes_it(address: str) -> None:
    assert emails.envelope_address(address, "utf-8") == address
    assert sanitize_address(address, "utf-8") == address


@examples
@example(".<0")
@example("0.<0")
@example('"')
@given(
    st.one_of(
        st.text(max_size=40),
        st.emails().map(lambda address: f"Åsa Öberg <{address}>"),
        st.from_regex(r"[\w.+-]{1,10}@[\wåäö.-]{1,70}", fullmatch=True),
    )
)
def test_any_address_is_written_as_django_writes_it_or_refused_alike(address: str) -> None:
    try:
        expected = sanitize_address(address, "utf-8")
    # ValueError, UnicodeError too: a label IDNA cannot encode. The standard library's
    # header parser also breaks on some text with other errors (AttributeError on ".<0",
    # IndexError on '"'); Django passes whatever it raises on, and so must we.
    except Exception as error:
        with pytest.raises(type(error)):
            emails.envelope_address(address, "utf-8")
    else:
        assert emails.envelope_address(address, "utf-8") == expected


@pytest.mark.parametrize(
    ("sender", "recipients"),
    [
        ("Grannsamverkan <noreply@grannsamverkan.example.com>", ["ada@example.com"]),
        (
            "noreply@grannsamverkan.example.com",
            ["Åsa Öberg <åsa@exämple.example>", "Bo.B@EXAMPLE.COM"],
        ),
    ],
)
def test_a_real_server_gets_the_envelope_django_s_backend_sends(
    settings, sender, recipients
) -> None:
    with smtp_server() as sink:
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = sink.port
        for backend in (
            "notifications.emails.SMTPBackend",
            "django.core.mail.backends.smtp.EmailBackend",
        ):
            settings.EMAIL_BACKEND = backend
            assert EmailMessage("Hej", "Text", sender, recipients).send() == 1

        ours, djangos = sink.messages()
    assert (ours.mail_from, ours.rcpt_tos) == (djangos.mail_from, djangos.rcpt_tos)
    assert len(ours.rcpt_tos) == len(recipients)


def test_smtp_urls_select_this_backend_and_others_stay_django_s() -> None:
    smtp = load_settings({"EMAIL_URL": "smtp://mail.example.com:25"})
    console = load_settings({"EMAIL_URL": "consolemail://"})

    assert "EMAIL_BACKEND = 'notifications.emails.SMTPBackend'" in smtp.stdout, smtp.stderr
    assert "EMAIL_BACKEND = 'django.core.mail.backends.console.EmailBackend'" in console.stdout
