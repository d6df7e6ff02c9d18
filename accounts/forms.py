from __future__ import annotations

import re
from typing import Any

import phonenumbers
from django import forms
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Language, User
from accounts.phone import MAX_INPUT_LENGTH, format_for_display, normalise_mobile_number
from config.validators import single_line

# E.164, as numbers are stored.
STORED_FORM = re.compile(r"\+[1-9][0-9]{6,14}")


class MobileNumberField(forms.CharField):
    """A mobile phone number, cleaned to E.164 ("+46701740605")."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_INPUT_LENGTH)
        kwargs.setdefault(
            "help_text",
            _("A mobile number for SMS, e.g. 070-174 06 05. Other countries: start with +."),
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        return normalise_mobile_number(value)

    def prepare_value(self, value: Any) -> Any:
        """A saved number as people read it ("+46 70 174 06 05"), not as it is stored;
        anything else (what someone typed, shown back with an error) as it is."""
        if isinstance(value, str) and STORED_FORM.fullmatch(value):
            try:
                return format_for_display(value)
            except phonenumbers.NumberParseException:
                return value
        return value


class SignupDetailsForm(forms.Form):
    """Fields allauth's signup form adds to e-mail and password (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        validators=[single_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"]
        language = get_language() or ""
        user.language = language if language in Language.values else Language.SWEDISH
        user.save(update_fields=["full_name", "language"])


class DeleteAccountForm(forms.Form):
    """Deleting an account cannot be undone: the password confirms it is the owner."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            # Signed up with a passkey: the view has them confirm with it instead.
            del self.fields["password"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class ProfileForm(forms.ModelForm):
    phone = MobileNumberField(label=_("Mobile phone"), required=False)

    class Meta:
        model = User
        fields = ["full_name", "phone", "language"]
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}
