"""The passkey forms (allauth's WebAuthn forms, through ``MFA_FORMS``).

allauth's forms take any name for a passkey, of any length; here a name is one line of
at most ``NAME_MAX_LENGTH`` characters, like every other name on the site, and a passkey
added on the account page is a passkey by default: it also logs in without a password.
The second login step offers what the person has: a passkey, a code, or both.
"""

from __future__ import annotations

from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import (
    AddWebAuthnForm,
    AuthenticateWebAuthnForm,
    EditWebAuthnForm,
    SignupWebAuthnForm,
)
from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from config.validators import single_line

NAME_MAX_LENGTH = 60


def name_field(*, required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Name of the passkey"),
        help_text=_("So that you can tell your passkeys apart, e.g. “My phone”."),
        required=required,
        max_length=NAME_MAX_LENGTH,
        validators=[single_line],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class AddPasskeyForm(AddWebAuthnForm):
    name = name_field(required=False)
    passwordless = forms.BooleanField(
        label=_("Also log in with it without a password"),
        help_text=_(
            "Your phone or computer then asks for your PIN, fingerprint or face. Untick "
            "this for a security key without a PIN: it then serves only as the second step "
            "after your password."
        ),
        required=False,
        initial=True,
    )


class SignupPasskeyForm(SignupWebAuthnForm):
    name = name_field(required=False)


class EditPasskeyForm(EditWebAuthnForm):
    name = name_field(required=True)


def has_authenticator(user_id: int, *types: str) -> bool:
    return Authenticator.objects.filter(user_id=user_id, type__in=types).exists()


class AuthenticateCodeForm(AuthenticateForm):
    """The second step's code: from an authenticator app, or a recovery code."""

    @cached_property
    def offered(self) -> bool:
        return has_authenticator(
            self.user.pk, Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES
        )


class AuthenticatePasskeyForm(AuthenticateWebAuthnForm):
    """The second step with a passkey, for someone who has one."""

    @cached_property
    def offered(self) -> bool:
        return has_authenticator(self.user.pk, Authenticator.Type.WEBAUTHN)
