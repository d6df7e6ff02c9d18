"""The languages an alert may have versions in, besides its Swedish text.

The deployment lists them in ``ALERT_LANGUAGES`` (config/settings.py); this module
knows every language a deployment may list: its name, its direction, and its tag in
HTML (``lang``) and in CAP (``<language>``, RFC 3066). Members choose one of them, or
Swedish, as the language of their alerts (notifications.preferences); each copy they
get is the alert's version in it, or the Swedish text when it has none.

Easy-to-read Swedish (*lättläst*) has no subtag of its own: the IANA language subtag
registry lists none for easy-to-read language, so it is tagged with a private-use
subtag, ``sv-x-lattlast`` (RFC 5646 section 2.2.7, "by private agreement"). Any reader
of the tag that does not know it still finds Swedish (RFC 4647 lookup drops what
follows), which is what the text is; in CAP, ``sv-SE-x-lattlast``, next to ``sv-SE``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SWEDISH = "sv"
EASY_SWEDISH = "sv-x-lattlast"


@dataclass(frozen=True, slots=True)
class Language:
    code: str  # stored on versions, deliveries and members' choices; also the HTML lang
    name: Promise  # in the reader's language
    native: str  # as its readers write it, so they find it in a list
    cap: str  # CAP's <language> (RFC 3066)
    rtl: bool = False

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    @property
    def label(self) -> str:
        """ "Arabic (العربية)": findable both by the sender and by the reader."""
        name = str(self.name)
        return name if name.casefold() == self.native.casefold() else f"{name} ({self.native})"


KNOWN: dict[str, Language] = {
    language.code: language
    for language in (
        Language(SWEDISH, _("Swedish"), "svenska", "sv-SE"),
        Language("en", _("English"), "English", "en"),
        Language(EASY_SWEDISH, _("Easy-to-read Swedish"), "lättläst svenska", "sv-SE-x-lattlast"),
        Language("ar", _("Arabic"), "العربية", "ar", rtl=True),
        Language("so", _("Somali"), "Soomaali", "so"),
        Language("fi", _("Finnish"), "suomi", "fi"),
        Language("fa", _("Persian"), "فارسی", "fa", rtl=True),
        Language("ti", _("Tigrinya"), "ትግርኛ", "ti"),
    )
}
CODE_MAX_LENGTH = max(len(code) for code in KNOWN)


def check_setting() -> None:
    """Stop the process on an ``ALERT_LANGUAGES`` it cannot send in (run at start-up)."""
    for code in settings.ALERT_LANGUAGES:
        if code not in KNOWN or code == SWEDISH:
            raise ImproperlyConfigured(
                f"ALERT_LANGUAGES: {code!r} is not one of "
                f"{', '.join(sorted(set(KNOWN) - {SWEDISH}))}"
            )


def listed() -> list[Language]:
    """The languages of the deployment's versions, in the order it lists them."""
    return [KNOWN[code] for code in settings.ALERT_LANGUAGES]


def of(code: str) -> Language:
    """The language of a stored code; Swedish for one no longer known."""
    return KNOWN.get(code, KNOWN[SWEDISH])


def resolve(chosen: str, versions: Collection[str]) -> str:
    """The language of the text a member gets: the one they ``chose``, if the alert has
    a version in it (``versions``: the languages it has), else Swedish."""
    return chosen if chosen in versions else SWEDISH


def member_choices() -> list[tuple[str, str]]:
    """What a member may choose for their alerts: Swedish, or a listed language."""
    return [(language.code, language.label) for language in [KNOWN[SWEDISH], *listed()]]


def validate_listed(code: str) -> None:
    """A version is written only in a language the deployment lists."""
    if code not in settings.ALERT_LANGUAGES:
        raise ValidationError(
            _(
                "Versions can be written in %(languages)s only: “%(code)s” is not one of "
                "the languages this service sends alerts in."
            ),
            code="unlisted_language",
            params={
                "code": code,
                "languages": ", ".join(language.label for language in listed()),
            },
        )
