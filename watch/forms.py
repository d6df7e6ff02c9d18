from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from watch import geometry
from watch.models import AreaStatus, Household, Municipality
from watch.services import Address, AreaDetails
from watch.widgets import BoundaryWidget

REASON_MAX_LENGTH = 500


class BoundaryField(forms.CharField):
    """GeoJSON text in, a validated shapely Polygon/MultiPolygon out."""

    widget = BoundaryWidget

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Boundary"))
        kwargs.setdefault(
            "help_text",
            _(
                "Draw the area on the map, or paste a GeoJSON Polygon or MultiPolygon "
                "in longitude, latitude order."
            ),
        )
        # The length limit is geometry's own (GEOMETRY_MAX_INPUT_BYTES); the field
        # must not cut the text short before geometry can say what is wrong.
        super().__init__(strip=True, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, geometry.Polygon | geometry.MultiPolygon):
            return geometry.to_geojson(value)
        return value

    def to_python(self, value: Any) -> geometry.Boundary | None:
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return geometry.parse_boundary(value)


class AreaForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    status = forms.ChoiceField(label=_("Status"), choices=AreaStatus.choices)
    boundary = BoundaryField()
    description = forms.CharField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea
    )
    start_meeting_date = forms.DateField(
        label=_("Start meeting"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Areas start with a meeting with the police."),
    )
    signs_up = forms.BooleanField(label=_("Signs are up"), required=False)

    def __init__(self, *args: Any, municipalities: Q, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(municipalities)

    def details(self) -> AreaDetails:
        data = self.cleaned_data
        return AreaDetails(
            name=data["name"],
            boundary=data["boundary"],
            status=data["status"],
            description=data["description"],
            start_meeting_date=data["start_meeting_date"],
            signs_up=data["signs_up"],
        )


class CoordinateField(forms.FloatField):
    widget = forms.NumberInput(attrs={"step": "any"})


class HouseholdForm(forms.ModelForm):
    longitude = CoordinateField(label=_("Longitude"))
    latitude = CoordinateField(label=_("Latitude"))

    class Meta:
        model = Household
        fields = ["street_address", "postal_code", "town", "longitude", "latitude"]
        widgets = {
            "street_address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "postal_code": forms.TextInput(
                attrs={"autocomplete": "postal-code", "inputmode": "numeric"}
            ),
            "town": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }
        help_texts = {"longitude": _("Place the pin on your home on the map, or type it.")}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "longitude" in data and "latitude" in data:
            try:
                geometry.parse_point(data["longitude"], data["latitude"])
            except geometry.GeometryError as error:
                self.add_error("longitude", error)
        if data.get("postal_code"):
            digits = data["postal_code"].replace(" ", "")
            data["postal_code"] = f"{digits[:3]} {digits[3:]}"
        return data

    def address(self) -> Address:
        data = self.cleaned_data
        return Address(
            street_address=data["street_address"],
            postal_code=data["postal_code"],
            town=data["town"],
            longitude=data["longitude"],
            latitude=data["latitude"],
        )


class InterestForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Your municipality"), queryset=Municipality.objects.all()
    )
    may_contact = forms.BooleanField(
        label=_("The security coordinator may contact me about starting neighbourhood watch"),
        required=False,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The household is told this reason by e-mail."),
    )


class RequiredReasonForm(ReasonForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The household is told this reason by e-mail."),
    )


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


class AppointContactForm(EmailForm):
    is_main = forms.BooleanField(label=_("Main contact"), required=False)
