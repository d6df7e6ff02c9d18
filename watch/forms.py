from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from watch import geocoding, geometry
from watch.models import AreaStatus, AuditAction, Household, Municipality, WatchArea
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
    # Optional: without a pin the address is looked up (watch.geocoding), for people
    # who cannot use the map.
    longitude = CoordinateField(label=_("Longitude"), required=False)
    latitude = CoordinateField(label=_("Latitude"), required=False)

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.address_search = geocoding.enabled()
        if self.address_search:
            self.fields["longitude"].help_text = _(
                "Place the pin on your home on the map, or type it. Leave both coordinates "
                "empty to have the address looked up."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        longitude, latitude = data.get("longitude"), data.get("latitude")
        if self.has_error("longitude") or self.has_error("latitude"):
            pass
        elif longitude is None and latitude is None and self.address_search:
            self._locate_address(data)
        elif longitude is None and latitude is None:
            self.add_error(
                "longitude", _("Place the pin on your home on the map, or type its coordinates.")
            )
        elif longitude is None or latitude is None:
            self.add_error("longitude", _("Give both coordinates, or neither."))
        else:
            try:
                geometry.parse_point(longitude, latitude)
            except geometry.GeometryError as error:
                self.add_error("longitude", error)
        if data.get("postal_code"):
            digits = data["postal_code"].replace(" ", "")
            data["postal_code"] = f"{digits[:3]} {digits[3:]}"
        return data

    def _locate_address(self, data: dict[str, Any]) -> None:
        if not data.get("street_address") or not data.get("town"):
            return  # their own "required" errors say what is missing
        query = geocoding.AddressQuery(
            data["street_address"], data.get("postal_code", ""), data["town"]
        )
        try:
            place = geocoding.get_geocoder().geocode(query)
        except geocoding.GeocoderUnavailable:
            self.add_error(
                "longitude",
                _(
                    "Address search is not available right now. Place the pin on the map, "
                    "or type the coordinates."
                ),
            )
            return
        try:
            if place is not None:
                geometry.parse_point(place.longitude, place.latitude)
        except geometry.GeometryError:
            place = None  # found, but outside the region the service covers
        if place is None:
            self.add_error(
                "street_address",
                _("This address was not found. Check it, or place the pin on the map."),
            )
            return
        data["longitude"], data["latitude"] = place.longitude, place.latitude

    def address(self) -> Address:
        data = self.cleaned_data
        return Address(
            street_address=data["street_address"],
            postal_code=data["postal_code"],
            town=data["town"],
            longitude=data["longitude"],
            latitude=data["latitude"],
        )


class AddressSearchForm(forms.Form):
    """Which area covers an address: the public map's alternative for people who cannot
    use a map."""

    street_address = forms.CharField(label=_("Street address"), max_length=200)
    town = forms.CharField(label=_("Town"), max_length=100)

    def find(self) -> geocoding.Place | None:
        """The address's place, or None with the reason added as a form error."""
        query = geocoding.AddressQuery(
            self.cleaned_data["street_address"], town=self.cleaned_data["town"]
        )
        try:
            place = geocoding.get_geocoder().geocode(query)
        except geocoding.GeocoderUnavailable:
            self.add_error(
                None,
                _("Address search is not available right now. Use the list of areas below."),
            )
            return None
        if place is None:
            self.add_error("street_address", _("This address was not found. Check it."))
        return place


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


class ContactSharingForm(forms.Form):
    share_contact_details = forms.BooleanField(
        label=_(
            "Show my phone number, e-mail address and street address to the other members"
            " of my area"
        ),
        required=False,
        help_text=_(
            "Your area contacts always see them, because they need to reach you. If you "
            "share them, the other members of your area see them with your name on their "
            "household page and on the area's member list."
        ),
    )


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AuditAction.choices]
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        required=False,
        queryset=WatchArea.objects.none(),
        empty_label=_("All areas"),
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, areas: Q, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        area.queryset = (
            WatchArea.objects.filter(areas)
            .select_related("municipality")
            .order_by("municipality__name", "name")
        )
        # Two municipalities may each have an area of the same name.
        area.label_from_instance = lambda choice: f"{choice.name} ({choice.municipality.name})"
