"""Forms of areas: the boundary field, the area form and the address search."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from config.ids import IdsChoiceField
from config.validators import single_line
from config.widgets import SizeLimitedFileInput
from watch.areas import geocoding
from watch.areas.geometry import parsing, shapes
from watch.areas.models import AreaStatus, Municipality, WatchArea
from watch.areas.services import AreaDetails
from watch.areas.widgets import BoundaryWidget


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
        if isinstance(value, shapes.Polygon | shapes.MultiPolygon):
            return shapes.to_geojson(value)
        return value

    def to_python(self, value: Any) -> shapes.Boundary | None:
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return parsing.parse_boundary(value)


def area_label(area: WatchArea) -> str:
    """An area in a list: two municipalities may each have an area of the same name."""
    return f"{area.name} ({area.municipality.name})"


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: WatchArea) -> str:
        return area_label(obj)


class AreasChoiceField(IdsChoiceField):
    def label_from_instance(self, obj: WatchArea) -> str:
        return area_label(obj)


class AreaForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=120, validators=[single_line])
    status = forms.ChoiceField(label=_("Status"), choices=AreaStatus.choices)
    # Drawn, pasted or from a file: clean() requires one of the two fields.
    boundary = BoundaryField(required=False)
    boundary_file = forms.FileField(
        label=_("Or a boundary file"),
        required=False,
        widget=SizeLimitedFileInput(
            parsing.max_input_bytes,
            # maps.js draws a chosen file on the boundary's map before it is sent.
            attrs={
                "accept": ".geojson,.json,application/geo+json,application/json",
                "data-boundary-input": "id_boundary",
            },
        ),
    )
    description = forms.CharField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea
    )
    start_meeting_date = forms.DateField(
        label=_("Start meeting"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Areas start with a meeting with the police."),
    )

    def __init__(self, *args: Any, municipalities: Q, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality_field = cast(forms.ModelChoiceField, self.fields["municipality"])
        municipality_field.queryset = Municipality.objects.filter(municipalities)
        # Most coordinators serve one municipality: do not make them choose it.
        only = list(municipality_field.queryset[:2])
        if len(only) == 1 and "municipality" not in self.initial:
            self.initial["municipality"] = only[0].pk
        self.fields["boundary_file"].help_text = _(
            "A GeoJSON file exported from a map program, at most %(limit)s. "
            "It replaces the boundary above; the map shows it before you save."
        ) % {"limit": filesizeformat(parsing.max_input_bytes())}

    def clean_boundary_file(self) -> shapes.Boundary | None:
        upload = self.cleaned_data.get("boundary_file")
        if not upload:
            return None
        limit = parsing.max_input_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; a boundary file can be at most %(limit)s."),
                code="file_too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        # Bytes: json.loads reads UTF-8, -16 and -32, with or without a byte-order mark.
        return parsing.parse_boundary(upload.read())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # A chosen file wins over the text, which on an edit still holds the old boundary.
        if data.get("boundary_file"):
            data["boundary"] = data["boundary_file"]
        elif data.get("boundary") is None and not (
            self.has_error("boundary") or self.has_error("boundary_file")
        ):
            self.add_error("boundary", self.fields["boundary"].error_messages["required"])
        return data

    def details(self) -> AreaDetails:
        data = self.cleaned_data
        return AreaDetails(
            name=data["name"],
            boundary=data["boundary"],
            status=data["status"],
            description=data["description"],
            start_meeting_date=data["start_meeting_date"],
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
