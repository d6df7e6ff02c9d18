"""Why an e-mail failed, in words an official can act on.

A failure is recorded as the mail server said it ("550 5.1.1 <a@example.com>: Recipient
address rejected: User unknown"): English, and meaningless to most who read it. RFC 3463's
enhanced status code in that text (class.subject.detail) says what went wrong; the
commonest are named here, and the server's own words stay under them.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

# The enhanced status code, not a date or an address that looks like one.
_ENHANCED = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])")

# (subject, detail) -> words; a detail of None matches any.
_PERMANENT = {
    ("1", "1"): _("The e-mail address does not exist: the member needs to correct it."),
    ("1", "0"): _("The e-mail address does not exist: the member needs to correct it."),
    ("1", "2"): _("The address's domain does not receive e-mail: the member needs to correct it."),
    ("2", "1"): _("The member's mailbox is closed."),
    ("2", "2"): _("The member's mailbox is full."),
    ("7", None): _("The member's mail server refused the message."),
}


def plain(error: str) -> str:
    """What ``error`` means, or "" where it is not an e-mail server's answer we know (an
    SMS provider's or a push service's errors carry no such code)."""
    found = _ENHANCED.search(error)
    if found is None:
        return ""
    kind, subject, detail = found.groups()
    if kind == "4":
        return str(_("The member's mail server asked us to try again later."))
    if kind != "5":
        return ""
    words = _PERMANENT.get((subject, detail)) or _PERMANENT.get((subject, None))
    return str(words) if words else ""
