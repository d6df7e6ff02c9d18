"""Forms for meetings and away notices; the rules live in watch.meetings and watch.away."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from watch import away, meetings
from watch.models import AwayNotice, Meeting

_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _add_rule_errors(form: forms.Form, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "title", "starts_at", "ends_at", "location", "description"]
        widgets = {
            "starts_at": _DATETIME,
            "ends_at": _DATETIME,
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 4000}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
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
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on"):
            try:
                away.check_period(data["starts_on"], data["ends_on"])
            except ValidationError as error:
                _add_rule_errors(self, error)
        return data
