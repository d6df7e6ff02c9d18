"""Forms for meetings, away notices and observations; the rules live in ``meetings``,
``away`` and ``observations`` of this package."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from config import photos
from config.widgets import SizeLimitedFileInput
from watch.areas.geometry import parsing, shapes
from watch.areas.models import WatchArea
from watch.community import away, meetings, observations
from watch.community.models import (
    AwayNotice,
    Meeting,
    MeetingKind,
    Observation,
    ObservationCategory,
    ObservationStatus,
)
from watch.community.observations import ObservationDetails, ObservationFilter
from watch.households.forms import CoordinateField, split_pasted_pair

_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _add_rule_errors(form: forms.BaseForm, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "title", "starts_at", "ends_at", "location", "description"]
        widgets = {
            "kind": forms.RadioSelect,
            "starts_at": _DATETIME,
            "ends_at": _DATETIME,
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 4000}),
        }

    def __init__(self, *args: Any, first_of_area: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Two kinds, both shown, one chosen: an area's first meeting is its start meeting
        # (the form opened on a blank "---------" that had to be changed).
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = MeetingKind.choices
        if self.instance.pk is None:
            self.initial.setdefault(
                "kind", MeetingKind.START if first_of_area else MeetingKind.NEIGHBOURS
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("starts_at") and data.get("ends_at"):
            try:
                meetings.check_times(data["starts_at"], data["ends_at"])
            except ValidationError as error:
                _add_rule_errors(self, error)
        return data

    def details(self) -> meetings.MeetingDetails:
        return meetings.MeetingDetails(
            **{name: self.cleaned_data[name] for name in self.Meta.fields}
        )


class MeetingChangeForm(MeetingForm):
    notify = forms.BooleanField(
        label=_("Tell the members about the change"), required=False, initial=True
    )


class AwayNoticeForm(forms.ModelForm):
    class Meta:
        model = AwayNotice
        fields = ["starts_on", "ends_on", "note", "tell_neighbours"]
        widgets = {"starts_on": _DATE, "ends_on": _DATE}
        help_texts = {
            "tell_neighbours": _(
                "They see your street address, the dates and your note. "
                "The area's contacts always see them."
            )
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("starts_on") and data.get("ends_on"):
            try:
                away.check_period(data["starts_on"], data["ends_on"])
            except ValidationError as error:
                _add_rule_errors(self, error)
        return data


# --- Observations -------------------------------------------------------------

DESCRIPTION_MAX_LENGTH = 4000
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class ObservationPlaceForm(forms.Form):
    """What and where: all the duplicate hint asks (``views.observation_nearby``), and
    the part of a report it is asked about."""

    # No kind chosen for them: a first choice already made was sent unread ("Graffiti").
    category = forms.ChoiceField(
        label=_("What kind of observation?"),
        choices=[("", _("Choose one")), *ObservationCategory.choices],
    )
    # Latitude first, as people say a place and map apps copy it.
    latitude = CoordinateField(
        label=_("Latitude"),
        help_text=_("A pair copied from a map app, such as 58.7172, 13.8344, may go here whole."),
    )
    longitude = CoordinateField(label=_("Longitude"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        split_pasted_pair(self)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "longitude" in data and "latitude" in data:
            try:
                parsing.parse_point(data["longitude"], data["latitude"])
            except shapes.GeometryError as error:
                self.add_error("latitude", error)
        return data


class ObservationForm(ObservationPlaceForm):
    # The place is a pin on a map (templates/includes/place_fields.html).
    place_legend = _("Where did you see it?")
    place_label = _("Map: click or drag the pin to where you saw it")

    @property
    def place_help(self) -> str:
        if self["latitude"].value():  # the member's home, as the form opens
            return str(_("Move the pin to the place. It starts at your address."))
        return str(_("Put the pin on the place: click or tap the map, or drag the pin."))

    field_order = ["category", "observed_at", "latitude", "longitude"]

    observed_at = forms.DateTimeField(
        label=_("When did you see it?"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    description = forms.CharField(
        label=_("What did you see?"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=SizeLimitedFileInput(
            photos.max_bytes, attrs={"accept": ",".join(photos.CONTENT_TYPES.values())}
        ),
        help_text=_("JPEG, PNG or WebP. Avoid photographing people."),
    )
    keep_location = forms.BooleanField(
        label=_("Keep the photo's location"),
        required=False,
        help_text=_(
            "Photos from phones often record where they were taken. We remove that and all "
            "other hidden details from the photo unless you tick this box."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observed_at"].widget.attrs["max"] = timezone.localtime().strftime(
            DATETIME_LOCAL
        )

    def clean_observed_at(self) -> Any:
        observed_at = self.cleaned_data["observed_at"]
        if observed_at > timezone.now():
            raise forms.ValidationError(_("The time cannot be in the future."))
        return observed_at

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("photo")
        if upload:
            try:
                data["photo"] = photos.clean_photo(
                    upload, size=upload.size, keep_location=data.get("keep_location", False)
                )
            except forms.ValidationError as error:
                self.add_error("photo", error)
        return data

    def details(self) -> ObservationDetails:
        data = self.cleaned_data
        return ObservationDetails(
            category=data["category"],
            observed_at=data["observed_at"],
            longitude=data["longitude"],
            latitude=data["latitude"],
            description=data["description"],
        )

    def cleaned_photo(self) -> photos.CleanPhoto | None:
        return self.cleaned_data.get("photo") or None


class HandledChoice:
    OPEN = "open"
    HANDLED = "handled"


class ObservationFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *ObservationCategory.choices],
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        required=False,
        queryset=WatchArea.objects.none(),
        empty_label=_("All areas"),
    )
    observed_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    observed_until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Open and handled")),
            (HandledChoice.OPEN, _("Open")),
            (HandledChoice.HANDLED, _("Handled")),
        ],
    )

    def __init__(self, *args: Any, areas: Q, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field = cast(forms.ModelChoiceField, self.fields["area"])
        area_field.queryset = WatchArea.objects.filter(areas).order_by("name")

    def to_filter(self) -> ObservationFilter:
        """The filter of a valid form; an invalid one filters nothing out (its errors show)."""
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status", "")
        return ObservationFilter(
            category=data.get("category", ""),
            area=data.get("area"),
            observed_from=data.get("observed_from"),
            observed_until=data.get("observed_until"),
            handled=None if not status else status == HandledChoice.HANDLED,
        )

    @property
    def filters_in_use(self) -> int:
        """How many filters narrow the list: on a phone the filters fold away when none
        does, so the list comes first (static/js/app.js)."""
        if not self.is_valid():
            return 0
        return sum(1 for value in self.cleaned_data.values() if value not in ("", None))


class ObservationStatusForm(forms.Form):
    """A handler moves a report on, with a message to its reporter."""

    status = forms.ChoiceField(label=_("New status"))
    message = forms.CharField(
        label=_("Message to the reporter (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Sent to the reporter by e-mail and shown on their reports page. Required when "
            "it goes to the police: say why. The reporter is reminded of 114 14 and 112."
        ),
    )

    def __init__(self, *args: Any, observation: Observation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ObservationStatus.choices)
        field = cast(forms.ChoiceField, self.fields["status"])
        field.choices = [
            (status, labels[status])
            for status in observations.NEXT_STATUSES.get(observation.status, ())
        ]
        self.observation = observation

    def clean(self) -> dict[str, Any]:
        # Said before "not a valid choice", which is all the status field could say.
        if self.observation.merged_into_id is not None:
            raise forms.ValidationError(_("This report is merged into another: change that one."))
        if not cast(forms.ChoiceField, self.fields["status"]).choices:
            raise forms.ValidationError(_("This report has already been closed."))
        super().clean()
        return self.cleaned_data


class ReportChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Observation) -> str:
        when = formats.date_format(timezone.localtime(obj.created_at), "SHORT_DATE_FORMAT")
        return _("No. %(number)s, %(when)s") % {"number": obj.pk, "when": when}


class ObservationMergeForm(forms.Form):
    """A report of the same thing as another, near it and open: follow that one."""

    into = ReportChoiceField(label=_("The same as report"), queryset=Observation.objects.none())

    def __init__(self, *args: Any, candidates: list[Observation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["into"])
        field.queryset = Observation.objects.filter(pk__in=[c.pk for c in candidates])
