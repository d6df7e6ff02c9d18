"""How an alert reads: the Markdown subset, sanitised, and the links in it."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from django.core import signing

ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "a", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
UNSUBSCRIBE_SALT = "notifications.unsubscribe"


# A "<" that opens anything but a Markdown autolink (<https://…>, <mailto:…>).
_TEXT_ANGLE = re.compile(r"<(?!(?:https?://|mailto:)[^<>\s]+>)")

# The numbers an alert tells members to call — 112 and the police's 114 14 — standing
# alone: not inside a longer number or an amount ("0501 112 34", "112 000 kronor", "112.5"),
# a postal code before its town ("114 14 Stockholm"), an address, a time or an entity.
_CALL_NUMBER = re.compile(
    r"(?<![\w/.:#&;@+-])(?<!\d )(112|114 ?14)(?![\w/@;-]|\s?\d|[.:,]\d|\s+[A-ZÅÄÖ])"
)
# A tag of the sanitised HTML, to find the text between them; and the links among them.
_TAG = re.compile(r"(<[^>]*>)")


# A send task renders the same alert for every recipient in its batch.
@lru_cache(maxsize=64)
def body_html(body: str) -> str:
    """The alert body as safe HTML: a small Markdown subset, then an allow-list sanitiser.

    An alert is written as text, not HTML: a "<" is escaped before Markdown sees it, so
    "eller <något> händer" keeps its words (a sanitiser would drop "<något>" as an unknown
    tag). The sanitiser still makes what Markdown builds safe: nh3 removes every tag and
    attribute not on the allow-list; links keep only http(s), mailto and tel, with
    rel="noopener noreferrer". "Ring 112" and "114 14" are numbers to tap on a phone.
    """
    html = markdown.markdown(
        _TEXT_ANGLE.sub("&lt;", body), extensions=["sane_lists"], output_format="html"
    )
    return _call_links(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto", "tel"},
            link_rel="noopener noreferrer",
        )
    )


def _call_links(html: str) -> str:
    """``html`` (sanitised) with the numbers to call linked in its text, not in a link's
    text or address: done after Markdown and the sanitiser, so no link or URL is cut."""
    parts = _TAG.split(html)
    in_link = False
    for index, part in enumerate(parts):
        if part.startswith("<"):
            in_link = part.startswith("<a ") or (in_link and part != "</a>")
        elif not in_link:
            parts[index] = _CALL_NUMBER.sub(
                lambda number: f'<a href="tel:{number[1].replace(" ", "")}">{number[1]}</a>',
                part,
            )
    return "".join(parts)


# Characters XML 1.0 cannot carry at all, not even escaped (a pasted form feed would
# otherwise make a feed or CAP document unreadable, or make Django refuse to write it).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids; escaping is the writer's job."""
    return _XML_ILLEGAL.sub("", text)


def site_host() -> str:
    """The host name of ``SITE_URL``: the authority in feed and CAP identifiers."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, kind) from a token; raises ``signing.BadSignature`` if forged."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["u"]), str(data["k"])
