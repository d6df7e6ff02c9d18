"""Forms of the tip library: a tip, and a yearly schedule for one."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config.ids import IdsChoiceField
from config.validators import single_line
from notifications import permissions
from notifications.alerts.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from notifications.tips import services as tips
from notifications.tips.models import Tip
from watch.areas.models import Municipality

THEME_LIST_ID = "tip-themes"


class TipForm(forms.Form):
    theme = forms.CharField(
        label=_("Theme"),
        max_length=Tip._meta.get_field("theme").max_length,
        validators=[single_line],
        help_text=_("Tips with the same theme are listed together."),
        # The page offers the themes already in use (a <datalist> with this id).
        widget=forms.TextInput(attrs={"list": THEME_LIST_ID, "autocomplete": "off"}),
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH, validators=[single_line])
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX_LENGTH,
        help_text=_("Plain text. You may use *emphasis*, **bold**, lists and links."),
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": BODY_MAX_LENGTH}),
    )

    @classmethod
    def for_tip(cls, tip: Tip, data: Any = None) -> TipForm:
        return cls(data, initial={"theme": tip.theme, "title": tip.title, "body": tip.body})


class ScheduleForm(forms.Form):
    """Every year on a date, to all active areas of the chosen municipalities."""

    municipalities = IdsChoiceField(
        label=_("Municipalities"),
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The tip goes to every active watch area in these municipalities."),
        error_messages={"required": _("Choose at least one municipality.")},
    )
    month = forms.TypedChoiceField(
        label=_("Month"), choices=[(number, name) for number, name in MONTHS.items()], coerce=int
    )
    day = forms.IntegerField(
        label=_("Day"),
        min_value=1,
        max_value=31,
        help_text=_("The tip is sent at 09:00 on this day every year."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reachable = Municipality.objects.filter(permissions.sendable_municipalities(user))
        municipalities_field = cast(forms.ModelChoiceField, self.fields["municipalities"])
        municipalities_field.queryset = reachable
        if not self.is_bound and len(only := list(reachable[:2])) == 1:
            self.initial.setdefault("municipalities", only)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("month") is not None and data.get("day") is not None:
            try:
                tips.check_date(data["month"], data["day"])
            except ValidationError as error:
                self.add_error(None, error)
        return data
