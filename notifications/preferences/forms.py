"""A member's channels per kind, quiet hours, and the code for their number."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from notifications.alerts.models import (
    Channel,
    Kind,
)
from notifications.preferences.models import MemberSettings, SeverityFloor

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class PreferencesForm(forms.Form):
    """A checkbox per (kind, channel), plus quiet hours for SMS."""

    quiet_hours_enabled = forms.BooleanField(label=_("Quiet hours for SMS"), required=False)
    quiet_hours_start = forms.TimeField(
        label=_("Quiet from"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    quiet_hours_end = forms.TimeField(
        label=_("Quiet until"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    email_floor = forms.ChoiceField(label=_("By e-mail"), choices=SeverityFloor.choices)
    sms_floor = forms.ChoiceField(label=_("By SMS"), choices=SeverityFloor.choices)
    inapp_floor = forms.ChoiceField(
        label=_("In the app"),
        choices=SeverityFloor.choices,
        help_text=_("Police alerts always reach members in the app."),
    )
    push_floor = forms.ChoiceField(label=_("By push notification"), choices=SeverityFloor.choices)

    # What the form saves on MemberSettings, besides the channels per kind.
    SETTINGS_FIELDS = (
        "quiet_hours_enabled",
        "quiet_hours_start",
        "quiet_hours_end",
        "email_floor",
        "sms_floor",
        "inapp_floor",
        "push_floor",
    )

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        current: dict[str, dict[str, bool]],
        settings_: MemberSettings,
    ) -> None:
        initial = {name: getattr(settings_, name) for name in self.SETTINGS_FIELDS}
        for kind, channels in current.items():
            for channel, on in channels.items():
                initial[f"{kind}__{channel}"] = on
        super().__init__(data, initial=initial)
        for kind, kind_label in Kind.choices:
            for channel, channel_label in Channel.choices:
                locked = kind == Kind.POLICE_ALERT and channel == Channel.INAPP
                self.fields[f"{kind}__{channel}"] = forms.BooleanField(
                    label=f"{kind_label}: {channel_label}",
                    required=False,
                    disabled=locked,
                    help_text=_("Police alerts always reach members in the app.") if locked else "",
                )

    def choices(self) -> dict[str, dict[str, bool]]:
        return {
            kind: {
                channel: bool(self.cleaned_data[f"{kind}__{channel}"]) for channel in Channel.values
            }
            for kind in Kind.values
        }

    def grid(self) -> list[tuple[StrOrPromise, list[forms.BoundField]]]:
        """Rows of the preferences table: a kind and a checkbox per channel."""
        return [
            (label, [self[f"{kind}__{channel}"] for channel in Channel.values])
            for kind, label in Kind.choices
        ]


class VerificationCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("The code has six digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
