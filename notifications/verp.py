"""Per-message return paths (VERP): a bounce names the message it is about.

With ``BOUNCE_ADDRESS_DOMAIN`` set, each alert e-mail and account notice goes out with
the envelope sender ``BOUNCE_LOCAL_PART+<token>@BOUNCE_ADDRESS_DOMAIN``, where the token
is the message's kind (``d`` for an alert's ``Delivery``, ``o`` for an ``OutboundEmail``),
its id and a truncated HMAC of both under a salt of its own. Receiving servers send
delivery status notifications to that address (RFC 5321's reverse path), so the bounce
receiver (``notifications.bounces``) knows which message bounced without trusting
anything else in it; a token it did not sign names nothing.

The token is short and lower case: a local part holds at most 64 characters, and some
servers lower-case it on the way back. The header From stays ``DEFAULT_FROM_EMAIL``:
Django writes the From field from a ``From`` header when one is given and uses
``from_email`` as the envelope sender.
"""

from __future__ import annotations

import base64
import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "notifications.verp"
DELIVERY = "d"
OUTBOUND = "o"
KINDS = (DELIVERY, OUTBOUND)
# 10 bytes of HMAC-SHA256: 80 bits, 16 base32 characters.
_SIGNATURE_BYTES = 10
_TOKEN = re.compile(r"([do])([1-9][0-9]{0,18})-([a-z2-7]{16})")


def enabled() -> bool:
    return bool(settings.BOUNCE_ADDRESS_DOMAIN)


def _signature(value: str, secret: str) -> str:
    digest = salted_hmac(SALT, value, secret=secret, algorithm="sha256").digest()
    return base64.b32encode(digest[:_SIGNATURE_BYTES]).decode().lower()


def token(kind: str, pk: int) -> str:
    if kind not in KINDS or pk <= 0:
        raise ValueError(f"no return path for {kind}{pk}")
    return f"{kind}{pk}-{_signature(f'{kind}{pk}', settings.SECRET_KEY)}"


def return_path(kind: str, pk: int) -> str | None:
    """The envelope sender of message ``pk`` of ``kind``; None when bounces are off."""
    if not enabled():
        return None
    return f"{settings.BOUNCE_LOCAL_PART}+{token(kind, pk)}@{settings.BOUNCE_ADDRESS_DOMAIN}"


def set_return_path(message: EmailMessage, kind: str, pk: int) -> EmailMessage:
    """Give ``message`` its own envelope sender; the From field stays what it was."""
    address = return_path(kind, pk)
    if address is not None:
        message.extra_headers.setdefault("From", message.from_email)
        message.from_email = address
    return message


def is_bounce_address(address: str) -> bool:
    """Whether ``address`` is at the bounce domain and begins with the bounce local part
    (a token, if any, is not checked here)."""
    if not enabled():
        return False
    local, at, domain = address.strip().lower().rpartition("@")
    base = settings.BOUNCE_LOCAL_PART
    return (
        bool(at)
        and domain == settings.BOUNCE_ADDRESS_DOMAIN
        and (local == base or local.startswith(f"{base}+"))
    )


def accepts(address: str) -> bool:
    """Whether the receiver takes mail for ``address``: the bounce address itself (a
    feedback loop's reports name their message inside), or a return path this site
    signed. Anything else at the domain is refused, so forged tokens cost nothing."""
    if not is_bounce_address(address):
        return False
    local = address.strip().lower().rpartition("@")[0]
    return local == settings.BOUNCE_LOCAL_PART or read(address) is not None


def read(address: str) -> tuple[str, int] | None:
    """(kind, id) of a return path this site signed, or None for anything else.

    Case does not matter. The signature is checked against ``SECRET_KEY`` and each of
    ``SECRET_KEY_FALLBACKS``, so a rotated key still reads bounces of mail sent before.
    """
    if not is_bounce_address(address):
        return None
    local = address.strip().lower().rpartition("@")[0]
    match = _TOKEN.fullmatch(local.partition("+")[2])
    if match is None:
        return None
    kind, pk, signature = match.groups()
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(
        constant_time_compare(signature, _signature(f"{kind}{pk}", secret)) for secret in secrets
    ):
        return None
    return kind, int(pk)
