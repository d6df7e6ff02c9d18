"""A member's channels per kind, quiet hours, and the code for their number."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from notifications.alerts import languages
from notifications.alerts.models import (
    Channel,
    Kind,
)
from notifications.preferences.models import (
    ALWAYS_INAPP,
    ANSWERS,
    PREFERENCE_KINDS,
    MemberSettings,
    SeverityFloor,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LOCKED_HELP = {
    Kind.POLICE_ALERT: _("Police alerts always reach members in the app."),
    ANSWERS: _("Answers always reach you in the app."),
}
NOT_PUSHED = _("Answers are not sent by push.")


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

    alert_language = forms.ChoiceField(
        label=_("Language of your alerts"),
        help_text=_(
            "Alerts written in this language too reach you in it; the others in Swedish. "
            "The site's own language is chosen in your profile."
        ),
    )

    # What the form saves on MemberSettings, besides the channels per kind.
    SETTINGS_FIELDS = (
        "alert_language",
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
        push_offered: bool = True,
    ) -> None:
        initial = {name: getattr(settings_, name) for name in self.SETTINGS_FIELDS}
        for kind, channels in current.items():
            for channel, on in channels.items():
                initial[f"{kind}__{channel}"] = on
        super().__init__(data, initial=initial)
        # A deployment without push (no VAPID keys) shows no column of boxes that do
        # nothing; its fields stay, disabled, so a save keeps what was chosen before.
        self.push_offered = push_offered
        self.offered = [
            (c, label) for c, label in Channel.choices if push_offered or c != Channel.PUSH
        ]
        if not push_offered:
            self.fields["push_floor"].disabled = True
        # The deployment's list, as it is now (a setting, not a fixed set of choices).
        cast(forms.ChoiceField, self.fields["alert_language"]).choices = languages.member_choices()
        for kind, kind_label in PREFERENCE_KINDS:
            for channel, channel_label in Channel.choices:
                locked = kind in ALWAYS_INAPP and channel == Channel.INAPP
                kept = channel == Channel.PUSH and not push_offered
                # Answers go by the inbox, e-mail and SMS (notifications.answers): a box
                # for push would save a choice nothing acts on.
                not_offered = kind == ANSWERS and channel == Channel.PUSH
                if not_offered:
                    self.initial[f"{kind}__{channel}"] = False
                self.fields[f"{kind}__{channel}"] = forms.BooleanField(
                    label=f"{kind_label}: {channel_label}",
                    required=False,
                    disabled=locked or not_offered or kept,
                    help_text=LOCKED_HELP[kind] if locked else NOT_PUSHED if not_offered else "",
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("quiet_hours_start"), data.get("quiet_hours_end")
        if data.get("quiet_hours_enabled") and start is not None and start == end:
            # Quiet "from 22:00 until 22:00" was saved and held back nothing.
            self.add_error(
                "quiet_hours_end",
                _("Quiet hours must end at another time than they start."),
            )
        return data

    def choices(self) -> dict[str, dict[str, bool]]:
        return {
            kind: {
                channel: bool(self.cleaned_data[f"{kind}__{channel}"]) for channel in Channel.values
            }
            for kind, _label in PREFERENCE_KINDS
        }

    @property
    def channels(self) -> list[StrOrPromise]:
        """The table's columns."""
        return [label for _channel, label in self.offered]

    def grid(self) -> list[tuple[StrOrPromise, list[tuple[StrOrPromise, forms.BoundField]]]]:
        """Rows of the preferences table: a kind, and each channel's name and checkbox (the
        name labels the checkbox on a phone, where each kind is a card)."""
        return [
            (
                label,
                [
                    (channel_label, self[f"{kind}__{channel}"])
                    for channel, channel_label in self.offered
                ],
            )
            for kind, label in PREFERENCE_KINDS
        ]


class VerificationCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        # ASCII digits: \d would take any script's, and count a wrong try for them.
        regex=r"^\s*[0-9]{6}\s*$",
        error_messages={"invalid": _("The code has six digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
