"""allauth's adapters: its e-mails and passkeys speak as the site, not as the host name,
and the addresses it is given fit the database; its e-mails go out through the outbox.

allauth greets and signs its e-mails with ``current_site.name`` and ``.domain``, and
without django.contrib.sites installed that is Django's ``RequestSite``: the host the
request came to ("127.0.0.1:8000"), twice. The site already has a name and a public
address in its settings (``SITE_NAME``, ``SITE_URL``), so its e-mails use those.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.validators import MaxLengthValidator
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import EMAIL_MAX_LENGTH

PASSKEY_SIGNUP_STAGE = "allauth.mfa.webauthn.stages.PasskeySignupStage"

# How an e-mail allauth has rendered is sent (template prefix, message). accounts knows
# no other app: notifications registers its outbox when it is ready, so the message is
# recorded, retried and has a return path of its own. Without one, Django sends it.
MailSender = Callable[[str, EmailMessage], None]
_senders: list[MailSender] = []


def register_mail_sender(send: MailSender) -> None:
    _senders[:] = [send]


@dataclass(frozen=True)
class PublicSite:
    """What allauth's e-mail templates read of a django.contrib.sites ``Site``."""

    name: str
    domain: str


def public_site() -> PublicSite:
    return PublicSite(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        """Refuse an address longer than the columns that hold it, naming the limit.

        Every allauth form that takes an address (sign-up, adding one, password reset,
        login by code) passes it through here; allauth itself sets no limit, and a longer
        address was cut short on saving, or a 500 on PostgreSQL.
        """
        MaxLengthValidator(EMAIL_MAX_LENGTH)(email)
        return super().clean_email(email)

    def get_login_stages(self) -> list[str]:
        """allauth's, and its last step of a sign-up with a passkey: making the passkey
        (accounts/passkey_urls.py says why this is not allauth's setting)."""
        stages = super().get_login_stages()
        if PASSKEY_SIGNUP_STAGE not in stages:
            stages.append(PASSKEY_SIGNUP_STAGE)
        return stages

    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        """allauth's e-mails are text; each also gets an HTML part in the site's look:
        the text, linked and in paragraphs, in the layout the account notices use."""
        message = super().render_mail(template_prefix, email, context, headers)
        if isinstance(message, EmailMultiAlternatives) and not message.alternatives:
            html = render_to_string(
                "emails/base.html",
                {
                    "subject": message.subject.removeprefix(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX),
                    "text": message.body,
                    "site_name": settings.SITE_NAME,
                    "language": get_language(),
                },
            )
            message.attach_alternative(html, "text/html")
        return message

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # allauth's own adds the request and its request-derived site, which no template
        # of these e-mails reads but for the site, which is the public one here.
        message = self.render_mail(
            template_prefix, email, {"email": email, **context, "current_site": public_site()}
        )
        if _senders:
            _senders[0](template_prefix, message)
        else:
            message.send()


class MFAAdapter(DefaultMFAAdapter):
    """Passkeys are made for the site by its name, and numbered, not "Master key"."""

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        # The id stays the host of the request (allauth's): ALLOWED_HOSTS vouches for it,
        # and the browser only accepts its own host. The name is what a phone shows.
        return {**super().get_public_key_credential_rp_entity(), "name": settings.SITE_NAME}

    def generate_authenticator_name(self, user: Any, type: Authenticator.Type) -> str:
        count = Authenticator.objects.filter(user_id=user.pk, type=type).count()
        return _("Passkey %(number)s") % {"number": count + 1}
