"""Filtering the audit log."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from watch.areas.forms import AreaChoiceField
from watch.areas.models import WatchArea
from watch.audit.models import AuditAction


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AuditAction.choices]
    )
    area = AreaChoiceField(
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
        area = cast(AreaChoiceField, self.fields["area"])
        area.queryset = (
            WatchArea.objects.filter(areas)
            .select_related("municipality")
            .order_by("municipality__name", "name")
        )
