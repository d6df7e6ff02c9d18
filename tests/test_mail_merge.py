"""A merged alert e-mail is the message Django would have encoded for that member.

The e-mail channel encodes an alert once per language (``emails.MailMerge``) and
fills in each member's address, Message-ID and links. Here every merged copy is
compared with Django's own encoding of the same message, part by part and
header by header, and the cases a merge must refuse are refused.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from email.message import EmailMessage as ParsedMessage

import pytest
import time_machine
from django.core.mail import EmailMultiAlternatives

from notifications import emails
from notifications.alerts.models import Channel, Delivery, Severity
from notifications.channels.email import Letter
from notifications.outbox.models import DeliveryStatus
from tests.factories import MeetingFactory, alert_for, member_of
from watch.community import meetings

pytestmark = pytest.mark.django_db

# Two messages encoded apart differ here and nowhere else.
DIFFERS_ANYWAY = {"date"}


def parsed(data: bytes) -> ParsedMessage:
    return email.message_from_bytes(data, policy=email.policy.default)  # type: ignore[return-value]


def contents(message: ParsedMessage) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Header fields (unfolded; the multipart boundary left out) and decoded parts."""
    headers = {
        name.lower(): " ".join(str(value).split())
        for name, value in message.items()
        if name.lower() not in DIFFERS_ANYWAY | {"content-type"}
    }
    headers["content-type"] = message.get_content_type()
    parts = [
        (part.get_content_type(), part.get_content())
        for part in message.walk()
        if not part.is_multipart()
    ]
    return headers, parts


def as_sent_and_as_django_encodes_it(delivery: Delivery) -> tuple[bytes, bytes, Letter]:
    letter = Letter.render(delivery.alert, delivery.user.language)
    message = letter.message(delivery)
    sent = message.message().as_bytes(linesep="\r\n")
    message.encoded = None
    return sent, message.message().as_bytes(linesep="\r\n"), letter


def delivery_to(user, alert) -> Delivery:  # type: ignore[no-untyped-def]
    return Delivery.objects.create(
        alert=alert, user=user, channel=Channel.EMAIL, status=DeliveryStatus.SENDING
    )


@pytest.mark.parametrize(
    ("language", "email_address", "fields"),
    [
        ("sv", "anna@example.org", {}),
        ("en", "bo@example.org", {"is_exercise": True, "severity": Severity.URGENT}),
        ("sv", "cecilia@räksmörgås.example", {"title": "Åtgärder efter inbrott, läs ”nu”"}),
        ("sv", "d@example.org", {"body": "Rader\n\n- med **Markdown** och <b>html</b>\n- å ä ö"}),
    ],
    ids=["plain", "exercise-urgent-english", "non-ascii-domain-and-title", "markdown"],
)
# The unsubscribe token is signed with the time in seconds: the copies made here are
# compared byte for byte, so no second may pass between them.
@time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC), tick=False)
def test_a_merged_copy_reads_as_djangos_own_encoding(police, area, language, email_address, fields):
    member = member_of(area, email=email_address, language=language)
    delivery = delivery_to(member, alert_for(police, area, **fields))

    sent, encoded_by_django, letter = as_sent_and_as_django_encodes_it(delivery)

    assert letter.merge is not None
    assert contents(parsed(sent)) == contents(parsed(encoded_by_django))
    # What the console backend prints is the same message.
    merged = letter.message(delivery).message()
    assert merged.as_string() == merged.as_bytes().decode()
    assert merged.as_bytes(linesep="\r\n") == sent
    headers, parts = contents(parsed(sent))
    assert headers["message-id"] == f"<delivery-{delivery.pk}@grannsamverkan.invalid>"
    assert f"/inbox/{delivery.pk}/" in parts[0][1]
    assert headers["list-unsubscribe"].strip("<>") in parts[0][1]


def test_each_member_gets_their_own_address_id_and_links(police, area):
    alert = alert_for(police, area)
    first, second = (delivery_to(member_of(area, language="sv"), alert) for _ in range(2))
    letter = Letter.render(alert, "sv")

    one, other = (parsed(letter.message(d).message().as_bytes()) for d in (first, second))

    assert (one["To"], other["To"]) == (first.user.email, second.user.email)
    assert one["Message-ID"] != other["Message-ID"]
    assert one["List-Unsubscribe"] != other["List-Unsubscribe"]
    assert contents(one)[1] != contents(other)[1]


def test_a_line_too_long_for_smtp_is_encoded_per_member_and_still_right(police, area):
    # Django quoted-printable encodes a part with a line of over 998 characters; text
    # replaced inside an encoded part would break it.
    member = member_of(area, language="sv")
    delivery = delivery_to(member, alert_for(police, area, body="Lås dörren. " * 100))

    sent, encoded_by_django, letter = as_sent_and_as_django_encodes_it(delivery)

    assert letter.merge is None
    assert contents(parsed(sent)) == contents(parsed(encoded_by_django))
    assert "Lås dörren. " * 100 in contents(parsed(sent))[1][0][1]


def test_a_meeting_invitation_is_encoded_per_member_with_its_attendee(police, area):
    member = member_of(area, language="sv", email="mote@example.org")
    # A cancellation names its attendee (RFC 5546), so its attachment is each member's own.
    meeting = MeetingFactory(area=area, cancelled=True)
    delivery = delivery_to(member, alert_for(police, area, meeting=meeting))
    attachment = meetings.invitation_attachments([delivery.alert])[delivery.alert_id]

    copy = Letter.render(delivery.alert, "sv").message(delivery, attachment(member.email))
    message = parsed(copy.message().as_bytes())

    assert copy.encoded is None  # encoded whole, not merged from the letter
    calendar = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert len(calendar) == 1
    assert "mailto:mote@example.org" in calendar[0].get_content()


def prototype(body: str = "Hej STANDIN") -> EmailMultiAlternatives:
    return EmailMultiAlternatives(
        "Ämne",
        body,
        to=["x@example.org"],
        headers={"Message-ID": "<m@example.invalid>", "List-Unsubscribe": "<https://x/>"},
    )


def test_a_merge_writes_exactly_the_fields_it_was_made_for():
    merge = emails.MailMerge.of(prototype(), ["STANDIN"], ["List-Unsubscribe"])
    assert merge is not None
    good = {"Message-ID": "<1@example.invalid>", "List-Unsubscribe": "<https://y/>"}

    copy = parsed(merge.fill("ny@example.org", good, {"STANDIN": "42"}))

    assert (copy["To"], copy["Message-ID"], copy["List-Unsubscribe"]) == (
        "ny@example.org",
        "<1@example.invalid>",
        "<https://y/>",
    )
    assert copy.get_content().strip() == "Hej 42"
    assert str(copy["Subject"]) == "Ämne"
    with pytest.raises(ValueError, match="exactly these fields"):
        merge.fill("ny@example.org", {"Message-ID": "<1@example.invalid>"}, {})

    # What a merge cannot write as it is, it leaves to Django (which refuses line breaks).
    assert merge.fill("ny@example.org", {**good, "List-Unsubscribe": "<x>\r\nBcc: a@b"}, {}) is None
    assert merge.fill("ny@example.org", {**good, "List-Unsubscribe": "<x>\rBcc: a@b"}, {}) is None
    assert merge.fill("ny@example.org", {**good, "List-Unsubscribe": "<https://å/>"}, {}) is None
    assert merge.fill("ny@example.org", good, {"STANDIN": "x" * 995}) is None
    assert merge.fill("ny@example.org", good, {"STANDIN": "x" * 900}) is not None


def test_no_merge_when_a_stand_in_does_not_survive_encoding():
    assert emails.MailMerge.of(prototype("x" * 1200 + " STANDIN"), ["STANDIN"], []) is None
    assert emails.MailMerge.of(prototype("no stand-in"), ["STANDIN"], []) is not None


@pytest.mark.parametrize(
    "address",
    [
        "anna@example.org",
        "first.last+tag@sub.example.com",
        "o'brien#{x}|y~@example.org",
        "cecilia@räksmörgås.example",
        "åsa@example.org",
        '"quoted local"@example.org',
        "Anna <anna@example.org>",
        "x.@example.org",
    ],
)
def test_an_address_is_written_as_django_writes_it(address):
    written_by_django = EmailMultiAlternatives("Ämne", "Text", to=[address]).message()["To"]

    assert emails.header_address(address) == written_by_django
