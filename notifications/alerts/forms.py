"""Composing an alert: what, to whom, when."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from notifications import permissions
from notifications.alerts.models import (
    BODY_MAX_LENGTH,
    Alert,
    AlertStatus,
    Kind,
    TargetKind,
)
from watch.areas.forms import AreasChoiceField, BoundaryField
from watch.areas.geometry import parsing, shapes
from watch.areas.models import Municipality, WatchArea


class AlertForm(forms.ModelForm):
    """Compose an alert: what, to whom (three ways), when."""

    target_areas = AreasChoiceField(
        label=_("Areas"),
        queryset=WatchArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For areas around an incident: only areas in these municipalities."),
    )
    shape = BoundaryField(
        label=_("Incident area"),
        required=False,
        help_text=_("Draw a polygon or a circle around the incident, or paste GeoJSON."),
        # The page's own map (kind "shape") fills this field and the circle fields.
        widget=forms.Textarea(attrs={"rows": 3, "class": "geojson-input"}),
    )
    circle_longitude = forms.FloatField(label=_("Circle centre, longitude"), required=False)
    circle_latitude = forms.FloatField(label=_("Circle centre, latitude"), required=False)
    circle_radius = forms.FloatField(label=_("Circle radius (metres)"), required=False, min_value=1)
    publish_at = forms.DateTimeField(
        label=_("Send at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty to send as soon as you press Send."),
    )
    expires_at = forms.DateTimeField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    class Meta:
        model = Alert
        fields = [
            "kind",
            "severity",
            "title",
            "body",
            "target_kind",
            "target_areas",
            "target_municipalities",
            "publish_at",
            "expires_at",
            "is_public",
            "is_exercise",
            "refers_to",
            "cancels_original",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8, "maxlength": BODY_MAX_LENGTH}),
            "target_kind": forms.RadioSelect,
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        kinds = permissions.allowed_kinds(user)
        kind_field = cast(forms.ChoiceField, self.fields["kind"])
        kind_field.choices = [c for c in Kind.choices if c[0] in kinds]
        targets = permissions.allowed_target_kinds(user)
        target_kind_field = cast(forms.ChoiceField, self.fields["target_kind"])
        target_kind_field.choices = [c for c in TargetKind.choices if c[0] in targets]
        target_areas_field = cast(forms.ModelChoiceField, self.fields["target_areas"])
        target_areas_field.queryset = WatchArea.objects.filter(
            permissions.sendable_areas(user)
        ).select_related("municipality")
        municipalities_field = cast(forms.ModelChoiceField, self.fields["target_municipalities"])
        municipalities_field.queryset = Municipality.objects.filter(
            permissions.sendable_municipalities(user)
        )
        refers_to_field = cast(forms.ModelChoiceField, self.fields["refers_to"])
        refers_to_field.queryset = (
            Alert.objects.filter(permissions.visible_alerts(user))
            .exclude(status=AlertStatus.DRAFT)
            .distinct()
        )
        self.fields["refers_to"].required = False
        if self.instance.pk and self.instance.target_shape:
            self.initial.setdefault("shape", self.instance.target_shape)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        target = data.get("target_kind")
        if target == TargetKind.AREAS and not data.get("target_areas"):
            self.add_error("target_areas", _("Choose at least one area."))
        if target == TargetKind.MUNICIPALITIES and not data.get("target_municipalities"):
            self.add_error("target_municipalities", _("Choose at least one municipality."))
        if target == TargetKind.SHAPE:
            self._clean_shape(data)
        if data.get("cancels_original") and not data.get("refers_to"):
            self.add_error("refers_to", _("Choose the earlier alert this one cancels."))
        publish_at, expires_at = data.get("publish_at"), data.get("expires_at")
        if publish_at and expires_at and expires_at <= publish_at:
            self.add_error("expires_at", _("The alert must be valid after it is sent."))
        return data

    def _clean_shape(self, data: dict[str, Any]) -> None:
        lon, lat, radius = (
            data.get(f"circle_{name}") for name in ("longitude", "latitude", "radius")
        )
        if data.get("shape") is not None:
            self.target_shape = shapes.to_geojson(data["shape"])
        elif lon is not None and lat is not None and radius is not None:
            try:
                self.target_shape = shapes.to_geojson(parsing.circle(lon, lat, radius))
            except shapes.GeometryError as error:
                self.add_error("circle_radius", error)
                return
        else:
            self.add_error("shape", _("Draw a shape or a circle around the incident."))
            return
        if not data.get("target_municipalities"):
            # Police and coordinators reach only their own municipalities' areas.
            data["target_municipalities"] = cast(
                forms.ModelChoiceField, self.fields["target_municipalities"]
            ).queryset

    def save(self, commit: bool = True) -> Alert:
        alert = super().save(commit=False)
        if alert.author_id is None:
            alert.author = self.user
        shape = getattr(self, "target_shape", None)
        alert.target_shape = shape if alert.target_kind == TargetKind.SHAPE else None
        if commit:
            alert.save()
            self.save_m2m()
        return alert
