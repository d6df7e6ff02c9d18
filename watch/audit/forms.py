"""Filtering the audit log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from watch.areas.models import WatchArea
from watch.audit.models import AuditAction


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
