"""Forms of paper households, their claim codes, letters delivered and the start kit."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.forms import MobileNumberField
from config.ids import IdsChoiceField
from config.validators import single_line
from watch.areas.models import Municipality
from watch.households.forms import HouseholdForm
from watch.households.models import Household
from watch.paper.models import NAMES_MAX_LENGTH, ConsentMethod
from watch.paper.services import (
    CLAIM_CODE_ALPHABET,
    CLAIM_CODE_LENGTH,
    PaperDetails,
    normalise_claim_code,
)

JOINS, SAID_NO = "joins", "said_no"
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PaperHouseholdForm(HouseholdForm):
    """The household's address, validated as every household's, and its answer."""

    place_legend = _("Where is the household's home?")
    place_label = _("Map: click or drag the pin to the household")
    pin_help = _("Put the pin on the household's home: click or tap the map, or drag the pin.")
    pin_help_or_search = _(
        "Put the pin on the household's home: click or tap the map, or drag the pin. "
        "Without a pin, the address is looked up."
    )
    pin_missing = _("Place the pin on the household's home on the map, or type its coordinates.")

    answer = forms.ChoiceField(
        label=_("The household's answer"),
        choices=[
            (JOINS, _("Joins, and gets the area's messages on paper")),
            (SAID_NO, _("Said no: only the address is kept, so nobody asks again")),
        ],
        initial=JOINS,
        widget=forms.RadioSelect,
    )
    names = forms.CharField(
        label=_("Residents' names"),
        max_length=NAMES_MAX_LENGTH,
        required=False,
        validators=[single_line],
        help_text=_("As they want them on their letters, e.g. Åsa and Per Ölund."),
    )
    phone = MobileNumberField(
        label=_("Mobile phone (optional)"),
        required=False,
        help_text=_(
            "For the area contacts to call, e.g. 070-174 06 05; and for texts of the "
            "area's messages once a resident confirms a code sent to it."
        ),
    )
    consent_how = forms.ChoiceField(
        label=_("How did the household agree?"),
        choices=ConsentMethod.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=_(
            "The household agrees that the area contacts keep these details and bring "
            "them the area's messages on paper"
        ),
        required=False,
    )

    field_order = ["answer", "street_address", "postal_code", "town", "latitude", "longitude"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["latitude"].help_text = (
            _(
                "Place the pin on the household's home on the map, or type its latitude and "
                "longitude. Leave both empty to have the address looked up."
            )
            if self.address_search
            else _(
                "Place the pin on the household's home on the map, or type its latitude and "
                "longitude."
            )
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("answer") != JOINS:
            data["names"], data["phone"], data["consent_how"] = "", "", ""
            return data
        if not data.get("names") and not self.has_error("names"):
            self.add_error("names", _("Write the residents' names."))
        if not data.get("consent_how"):
            self.add_error("consent_how", _("Say how the household agreed."))
        if not data.get("consent"):
            self.add_error("consent", _("Record the household's consent first."))
        return data

    def said_no(self) -> bool:
        return bool(self.cleaned_data["answer"] == SAID_NO)

    def details(self) -> PaperDetails:
        data = self.cleaned_data
        return PaperDetails(
            names=data["names"], phone=data["phone"], consent_how=data["consent_how"]
        )


class PaperPhoneForm(forms.Form):
    """A household's new mobile number, or none; it is verified again before texts."""

    phone = MobileNumberField(
        label=_("Mobile phone"),
        required=False,
        help_text=_("Leave it empty to remove the number."),
    )


_CODE = re.compile(f"[{CLAIM_CODE_ALPHABET}]{{{CLAIM_CODE_LENGTH}}}")


class ClaimForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 12 letters and digits on the paper from your area contact."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = normalise_claim_code(self.cleaned_data["code"])
        if not _CODE.fullmatch(code):
            raise forms.ValidationError(
                _("Enter the code as it is printed: 12 letters and digits, like ABCD-EFGH-JKMN.")
            )
        return code


class DeliveredForm(forms.Form):
    households = IdsChoiceField(
        label=_("Delivered to"),
        queryset=Household.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, households: QuerySet[Household], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["households"])
        field.queryset = households


class StartKitForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("When the meeting starts"), widget=_DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200, validators=[single_line])
    contact = forms.CharField(
        label=_("Signed by"),
        max_length=150,
        validators=[single_line],
        help_text=_("The name the invitation is signed with."),
    )


class InterestStartKitForm(StartKitForm):
    """For a neighbourhood where households wait for an area: no area page to join yet."""

    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    neighbourhood = forms.CharField(
        label=_("Neighbourhood"),
        max_length=120,
        validators=[single_line],
        help_text=_("Where the invitation goes, e.g. Sjöstaden."),
    )

    field_order = ["municipality", "neighbourhood", "starts_at", "place", "contact"]

    def __init__(self, *args: Any, municipalities: QuerySet[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["municipality"])
        field.queryset = municipalities
