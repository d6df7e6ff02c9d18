"""Bad input to the real bounce receiver: forged, unsigned and foreign return paths, an
unknown id, a replayed report, malformed MIME, a 10 MB message, header bytes that are
not UTF-8. None changes a row or sends a text, and the receiver keeps answering: after
each, a genuine bounce is still recorded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from notifications import verp
from notifications.alerts.models import Delivery
from tests.bounces import (
    BOUNCE_DOMAIN,
    bounce_receiver,
    deliver,
    dsn,
    enable_bounces,
    sent_email,
    snapshot,
)
from tests.factories import member_of, sent_public_alert

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def port(settings) -> Iterator[int]:
    enable_bounces(settings)
    with bounce_receiver() as running:
        yield running


@pytest.fixture
def delivery(police, area) -> Delivery:
    return sent_email(sent_public_alert(police, area), member_of(area, email="anna@example.org"))


def still_working(port: int, police, area) -> None:  # type: ignore[no-untyped-def]
    """The receiver answers, and records a genuine bounce."""
    other = sent_email(sent_public_alert(police, area), member_of(area))
    assert deliver(port, verp.return_path(verp.DELIVERY, other.pk) or "", dsn()).data == 250
    other.refresh_from_db()
    assert other.status == "failed"


def forged_addresses(pk: int) -> list[str]:
    signature = verp.token(verp.DELIVERY, pk).partition("-")[2]
    flipped = ("b" if signature[0] == "a" else "a") + signature[1:]
    return [
        f"bounces+d{pk}-{flipped}@{BOUNCE_DOMAIN}",  # forged signature
        f"bounces+d{pk}@{BOUNCE_DOMAIN}",  # unsigned
        f"bounces+d{pk + 1}-{signature}@{BOUNCE_DOMAIN}",  # another id, the same signature
        f"bounces+o{pk}-{signature}@{BOUNCE_DOMAIN}",  # the other kind
        f"bounces+d{pk}-{signature}@mail.example.net",  # another domain: no relaying
        f"postmaster+d{pk}-{signature}@{BOUNCE_DOMAIN}",  # another local part
        f"bounces+d{pk}-{'z' * 2000}@{BOUNCE_DOMAIN}",
    ]


def test_forged_unsigned_and_foreign_return_paths_are_refused(port, delivery, police, area):
    before = snapshot()

    for address in forged_addresses(delivery.pk):
        assert deliver(port, address, dsn()).rcpt >= 500, address

    assert snapshot() == before
    still_working(port, police, area)


def test_another_sites_signature_names_nothing(port, delivery, settings, police, area):
    ours = settings.SECRET_KEY
    settings.SECRET_KEY = "another site's key, long enough to be a real one " * 2
    foreign = verp.return_path(verp.DELIVERY, delivery.pk) or ""
    settings.SECRET_KEY = ours
    before = snapshot()

    assert deliver(port, foreign, dsn()).rcpt == 550

    assert snapshot() == before
    still_working(port, police, area)


def test_a_dsn_for_an_unknown_id_changes_nothing(port, delivery, police, area):
    before = snapshot()

    for pk in (delivery.pk + 1000, 1):
        replies = deliver(port, verp.return_path(verp.OUTBOUND, pk) or "", dsn())
        assert replies.data == 250
    assert snapshot() == before
    still_working(port, police, area)


def test_a_dsn_for_a_message_not_sent_or_not_an_e_mail_changes_nothing(port, police, area):
    alert = sent_public_alert(police, area)
    queued = sent_email(alert, member_of(area), status="queued", sent_at=None)
    inapp = sent_email(alert, member_of(area), channel="inapp")
    before = snapshot()

    for row in (queued, inapp):
        assert deliver(port, verp.return_path(verp.DELIVERY, row.pk) or "", dsn()).data == 250

    assert snapshot() == before


MALFORMED = {
    "not MIME at all": b"\x00\xff\xfe garbage \r\n\r\n\x80\x81",
    "no report part": (
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=X\r\n\r\n"
        b"--X\r\nContent-Type: text/plain\r\n\r\nhello\r\n--X--\r\n"
    ),
    "unterminated multipart": (
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=X\r\n\r\n"
        b"--X\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n"
    ),
    "no boundary": b"Content-Type: multipart/report; report-type=delivery-status\r\n\r\nx\r\n",
    "one block only": (
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=X\r\n\r\n"
        b"--X\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Action: failed\r\nStatus: 5.1.1\r\n--X--\r\n"
    ),
    "nested reports": (
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=X\r\n\r\n"
        + b"--X\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n" * 200
        + b"--X--\r\n"
    ),
    "a header of 200 encoded words": (
        b"Subject: " + b"=?utf-8?q?=ff?=\r\n " * 200 + b"\r\nContent-Type: text/plain\r\n\r\nx\r\n"
    ),
    "a status that is no status": dsn(status="5.1.1.1.1; x").encode(),
}


@pytest.mark.parametrize("message", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_mime_changes_nothing(port, delivery, police, area, message):
    before = snapshot()

    replies = deliver(port, verp.return_path(verp.DELIVERY, delivery.pk) or "", message)

    assert replies.data == 250  # read, and dropped
    assert snapshot() == before
    still_working(port, police, area)


def test_non_utf8_headers_do_not_crash_it(port, delivery, police, area):
    """Latin-1 and invalid bytes in the headers and the status fields: the report is read
    as far as it can be, and nothing it says is trusted beyond its return path."""
    message = dsn(diagnostic="smtp; 550 5.1.1 Ok\xe4nd mottagare").encode("latin-1")
    message = b"Subject: Ej levererat \xe5\xe4\xf6 \xff\xfe\r\nX-Bad: \xc3\x28\r\n" + message
    before = {d.pk: d.status for d in Delivery.objects.exclude(pk=delivery.pk)}

    replies = deliver(port, verp.return_path(verp.DELIVERY, delivery.pk) or "", message)

    assert replies.data == 250
    delivery.refresh_from_db()
    # It is still a permanent failure of this delivery; the reason shows what could be read.
    assert delivery.status == "failed"
    assert delivery.last_error.startswith("550 5.1.1 Ok")
    assert delivery.last_error.isprintable()
    assert {d.pk: d.status for d in Delivery.objects.exclude(pk=delivery.pk)} == before
    still_working(port, police, area)


def test_a_10_mb_message_is_refused(port, delivery, police, area):
    before = snapshot()
    huge = dsn() + ("X-Padding: " + "x" * 900 + "\r\n") * 11_500

    replies = deliver(port, verp.return_path(verp.DELIVERY, delivery.pk) or "", huge)

    assert replies.data == 552
    assert snapshot() == before
    still_working(port, police, area)


def test_a_line_longer_than_smtp_allows_is_refused(port, delivery, police, area):
    before = snapshot()
    message = b"Subject: " + b"x" * 5000 + b"\r\n\r\n" + dsn().encode()

    replies = deliver(port, verp.return_path(verp.DELIVERY, delivery.pk) or "", message)

    assert replies.data == 500  # RFC 5321's 1,000 characters a line
    assert snapshot() == before
    still_working(port, police, area)
