"""Forms of households: the address with its pin, interest, decisions, invitations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from accounts.models import EMAIL_MAX_LENGTH
from watch.areas import geocoding
from watch.areas.geometry import coordinates, parsing, shapes
from watch.areas.models import Municipality
from watch.households.models import Household
from watch.households.services import Address

REASON_MAX_LENGTH = 500


class CoordinateField(forms.FloatField):
    """A latitude or a longitude, with a decimal point or a decimal comma."""

    # Text rather than type="number": a browser empties a number field given a pasted
    # pair ("58.7172, 13.8344") or, depending on its locale, a decimal comma.
    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    # django-stubs type FloatField.to_python as IntegerField's, which returns an int.
    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def split_pasted_pair(form: forms.BaseForm) -> None:
    """Fill both coordinates from a "latitude, longitude" pair typed into Latitude.

    Map apps copy a place as one pair ("58.7172, 13.8344", or "58,7172 13,8344" with
    decimal commas). It is split before the fields are cleaned, so a form shown again
    shows the two numbers in their own fields.
    """
    latitude, longitude = form.add_prefix("latitude"), form.add_prefix("longitude")
    text = form.data.get(latitude) if form.is_bound else None
    pair = coordinates.coordinate_pair(text) if isinstance(text, str) else None
    if pair is None:
        return
    data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
    data[latitude], data[longitude] = (str(value) for value in pair)
    form.data = data


class HouseholdForm(forms.ModelForm):
    # Whose home the pin marks, said to the one who fills the form in: a resident's own
    # (a contact registering a household on paper, watch.paper, places someone else's).
    # The map and its folded coordinates are one place (templates/includes/place_fields.html).
    place_legend = _("Where is your home?")
    place_label = _("Map: click or drag the pin to your home")
    pin_help = _("Put the pin on your home: click or tap the map, or drag the pin.")
    pin_help_or_search = _(
        "Put the pin on your home: click or tap the map, or drag the pin. Without a pin, "
        "the address is looked up."
    )
    pin_missing = _("Place the pin on your home on the map, or type its coordinates.")

    # Latitude first, as people say a place and map apps copy it. Optional: without a
    # pin the address is looked up (watch.areas.geocoding), for people who cannot use
    # the map.
    latitude = CoordinateField(
        label=_("Latitude"),
        required=False,
        help_text=_("A pair copied from a map app, such as 58.7172, 13.8344, may go here whole."),
    )
    longitude = CoordinateField(label=_("Longitude"), required=False)
    # On the first registration: the join request goes with the address, one step less
    # for a new resident (README "Each role's way through the site").
    ask_to_join = forms.BooleanField(
        label=_("Ask to join the watch area my home is in"),
        help_text=_("One of the area's contacts, a neighbour, approves your household."),
        required=False,
        initial=True,
    )

    class Meta:
        model = Household
        fields = ["street_address", "postal_code", "town", "latitude", "longitude"]
        widgets = {
            "street_address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "postal_code": forms.TextInput(
                attrs={"autocomplete": "postal-code", "inputmode": "numeric"}
            ),
            "town": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }

    def __init__(self, *args: Any, offer_to_join: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not offer_to_join:
            del self.fields["ask_to_join"]
        split_pasted_pair(self)
        self.address_search = geocoding.enabled()
        self.place_help = self.pin_help_or_search if self.address_search else self.pin_help

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        longitude, latitude = data.get("longitude"), data.get("latitude")
        if self.has_error("longitude") or self.has_error("latitude"):
            pass
        elif longitude is None and latitude is None and self.address_search:
            self._locate_address(data)
        elif longitude is None and latitude is None:
            self.add_error("latitude", self.pin_missing)
        elif longitude is None or latitude is None:
            self.add_error("latitude", _("Give both coordinates, or neither."))
        else:
            try:
                parsing.parse_point(longitude, latitude)
            except shapes.GeometryError as error:
                self.add_error("latitude", error)
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
                "latitude",
                _(
                    "Address search is not available right now. Place the pin on the map, "
                    "or type the coordinates."
                ),
            )
            return
        try:
            if place is not None:
                parsing.parse_point(place.longitude, place.latitude)
        except shapes.GeometryError:
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
        label=_("Reason (optional)"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The household is told this reason by e-mail, for example that the address is "
            "outside the area. Without one they are only told no."
        ),
    )


class RequiredReasonForm(ReasonForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The household is told this reason by e-mail."),
    )


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=EMAIL_MAX_LENGTH)


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
