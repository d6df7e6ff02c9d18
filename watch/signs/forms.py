"""A sign as a contact places it, and a member's word on how it fares."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from config.validators import single_line
from watch.households.forms import CoordinateField, split_pasted_pair
from watch.households.models import Membership
from watch.signs.models import SignCondition, SignReport


class SignForm(forms.Form):
    place = forms.CharField(
        label=_("Where"),
        max_length=120,
        required=False,
        validators=[single_line],
        help_text=_("So others find it, e.g. “the corner of Ekvägen and Lindvägen”."),
    )
    put_up_on = forms.DateField(
        label=_("Put up"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    condition = forms.ChoiceField(label=_("Condition"), choices=SignCondition.choices)
    # After what a person types: the map's pin fills them.
    latitude = CoordinateField(
        label=_("Latitude"),
        help_text=_("Place the pin on the sign on the map, or type its latitude and longitude."),
    )
    longitude = CoordinateField(label=_("Longitude"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        split_pasted_pair(self)


class SignReportForm(forms.ModelForm):
    class Meta:
        model = SignReport
        fields = ["condition", "note"]
        widgets = {"condition": forms.RadioSelect}


class DecalsForm(forms.Form):
    """A number of decals per member household of the area: one field per household."""

    MOST = 20

    def __init__(self, *args: Any, memberships: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.memberships = memberships
        for membership in memberships:
            self.fields[f"decals-{membership.pk}"] = forms.IntegerField(
                label=str(membership.household),
                min_value=0,
                max_value=self.MOST,
                initial=membership.decals,
                widget=forms.NumberInput(attrs={"class": "narrow"}),
            )

    def counts(self) -> dict[int, int]:
        return {m.pk: self.cleaned_data[f"decals-{m.pk}"] for m in self.memberships}
