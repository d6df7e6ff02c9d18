"""The composer's steps over one saved draft: what it says, who gets it, when it goes out.

Each step is a form over the same ``Alert`` row; saving a step writes only its own
fields, and a step with bad input writes nothing. The fourth step, Check, is the draft's
page (views.alert_detail): it shows what members will get and sends it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config.ids import IdsChoiceField, as_id
from config.validators import single_line
from notifications import permissions
from notifications.alerts import languages
from notifications.alerts.models import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Alert,
    AlertStatus,
    Kind,
    TargetKind,
)
from official.police_events.permissions import startable_events
from watch.areas.forms import AreasChoiceField, BoundaryField
from watch.areas.geometry import parsing, shapes
from watch.areas.models import Municipality, WatchArea

# datetime-local inputs show a value only in this form (no seconds, a "T").
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class EarlierAlertField(forms.ModelChoiceField):
    """An earlier alert by id; one past 64 bits is simply not a valid choice."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and as_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def label_from_instance(self, obj: Alert) -> str:
        date = timezone.localtime(obj.publish_at or obj.created_at)
        return f"{obj.title} ({date:%Y-%m-%d})"


class AlertSearchForm(forms.Form):
    """The list of alerts' search: words of a title, or an area's or municipality's name."""

    q = forms.CharField(
        label=_("Search titles, areas and municipalities"),
        required=False,
        max_length=TITLE_MAX_LENGTH,
    )

    def search(self) -> str:
        """The words to look for; none if the form was refused (its error is shown)."""
        return self.cleaned_data["q"].strip() if self.is_valid() else ""


class WhatForm(forms.ModelForm):
    """Step 1: kind, severity, title and text. Saving it creates (or updates) the draft.

    A new draft may carry the earlier alert it follows up (the "Send an update or
    correction" link); step 3 shows that choice and may change it.
    """

    class Meta:
        model = Alert
        fields = ["kind", "severity", "title", "body", "refers_to"]
        field_classes = {"refers_to": EarlierAlertField}
        widgets = {
            "kind": forms.RadioSelect,
            "severity": forms.RadioSelect,
            "body": forms.Textarea(
                attrs={
                    "rows": 8,
                    "maxlength": BODY_MAX_LENGTH,
                    # Its help text, and the SMS length under it (compose_what.html).
                    "aria-describedby": "id_body_helptext sms-length",
                }
            ),
            "refers_to": forms.HiddenInput,
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        kinds = permissions.allowed_kinds(user)
        kind_field = cast(forms.ChoiceField, self.fields["kind"])
        kind_field.choices = [c for c in Kind.choices if c[0] in kinds]
        if self.instance.pk:
            # An existing draft's follow-up is step 3's business.
            del self.fields["refers_to"]
        else:
            refers_to_field = cast(forms.ModelChoiceField, self.fields["refers_to"])
            refers_to_field.queryset = earlier_alerts(user)
            refers_to_field.required = False
            # A draft started from a police event ("Start an alert from this") records it.
            self.fields["police_event"] = forms.ModelChoiceField(
                queryset=startable_events(user), required=False, widget=forms.HiddenInput
            )
        self._add_version_fields()

    # --- Versions in the languages the deployment lists (languages.listed) -------------

    def _add_version_fields(self) -> None:
        current = {v.language: v for v in self.instance.versions.all()} if self.instance.pk else {}
        for language in languages.listed():
            # Typed in the language's own direction, so a sender sees Arabic as it reads.
            attrs = {"lang": language.code, "dir": language.direction}
            self.fields[f"title_{language.code}"] = forms.CharField(
                label=format_lazy("{} ({})", _("Title"), language.name),
                max_length=TITLE_MAX_LENGTH,
                required=False,
                validators=[single_line],
                widget=forms.TextInput(attrs=attrs),
            )
            self.fields[f"body_{language.code}"] = forms.CharField(
                label=format_lazy("{} ({})", _("Message"), language.name),
                max_length=BODY_MAX_LENGTH,
                required=False,
                widget=forms.Textarea(attrs={**attrs, "rows": 6, "maxlength": BODY_MAX_LENGTH}),
            )
            if version := current.get(language.code):
                self.initial[f"title_{language.code}"] = version.title
                self.initial[f"body_{language.code}"] = version.body

    def version_fields(self) -> list[dict[str, Any]]:
        """Per listed language: its fields, and whether to show them open (filled in,
        or refused)."""
        rows = []
        for language in languages.listed():
            title, body = self[f"title_{language.code}"], self[f"body_{language.code}"]
            rows.append(
                {
                    "language": language,
                    "title": title,
                    "body": body,
                    "open": bool(title.value() or body.value() or title.errors or body.errors),
                }
            )
        return rows

    @property
    def versions_open(self) -> bool:
        return any(row["open"] for row in self.version_fields())

    def versions(self) -> dict[str, tuple[str, str]]:
        """The versions written, by language (after ``is_valid``)."""
        data = self.cleaned_data
        return {
            language.code: (data[f"title_{language.code}"], data[f"body_{language.code}"])
            for language in languages.listed()
            if data.get(f"title_{language.code}")
        }

    def clean_body(self) -> str:
        return _one_line_break(self.cleaned_data["body"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for language in languages.listed():
            title, body = f"title_{language.code}", f"body_{language.code}"
            if title in self.errors or body in self.errors:
                continue
            data[body] = _one_line_break(data.get(body, ""))
            if bool(data.get(title)) != bool(data[body]):
                missing = body if data.get(title) else title
                self.add_error(
                    missing,
                    _("Write both a title and a message in %(language)s, or neither.")
                    % {"language": language.name},
                )
        self._refuse_unlisted()
        return data

    def _refuse_unlisted(self) -> None:
        """A version in a language the deployment no longer lists (the page was open
        while it changed, or a hand-made request) is refused, not silently dropped."""
        for key in self.data if self.is_bound else ():
            prefix, _sep, code = key.partition("_")
            if prefix in ("title", "body") and code and key not in self.fields:
                try:
                    languages.validate_listed(code)
                except ValidationError as error:
                    self.add_error(None, error)
                    return

    def save(self, commit: bool = True) -> Alert:
        alert = super().save(commit=False)
        if alert.author_id is None:
            alert.author = self.user
        if event := self.cleaned_data.get("police_event"):
            alert.source = f"polisen.se:{event.police_id}"
            alert.source_url = event.url
        if commit:
            alert.save()
        return alert


def _one_line_break(text: str) -> str:
    # Browsers send a textarea's line breaks as CRLF: one line break is one character
    # to members, and two septets fewer in every text message.
    return str(text).replace("\r\n", "\n").replace("\r", "\n")


def earlier_alerts(user: User) -> Any:
    """The alerts a follow-up may refer to: ones ``user`` sees that went out or were due."""
    return (
        Alert.objects.filter(permissions.visible_alerts(user))
        .exclude(status=AlertStatus.DRAFT)
        .distinct()
        .order_by("-created_at")
    )


class WhoForm(forms.ModelForm):
    """Step 2: areas picked (on the map or in the list), municipalities, or a shape drawn
    around an incident. Only what the sender may send to is offered."""

    target_areas = AreasChoiceField(
        label=_("Areas"),
        queryset=WatchArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_municipalities = IdsChoiceField(
        label=_("Municipalities"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every active area of each municipality chosen."),
    )
    shape = BoundaryField(
        label=_("Incident area as GeoJSON"),
        required=False,
        help_text=_("A Polygon or MultiPolygon in longitude, latitude order."),
        # The page's map (kind "shape") fills this field and the circle fields.
        widget=forms.Textarea(attrs={"rows": 3, "class": "geojson-input"}),
    )
    circle_longitude = forms.FloatField(label=_("Circle centre, longitude"), required=False)
    circle_latitude = forms.FloatField(label=_("Circle centre, latitude"), required=False)
    circle_radius = forms.FloatField(label=_("Circle radius (metres)"), required=False, min_value=1)

    class Meta:
        model = Alert
        fields = ["target_kind", "target_areas", "target_municipalities"]
        widgets = {"target_kind": forms.RadioSelect}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        targets = permissions.allowed_target_kinds(user)
        target_kind_field = cast(forms.ChoiceField, self.fields["target_kind"])
        target_kind_field.choices = [c for c in TargetKind.choices if c[0] in targets]
        target_kind_field.label = _("How do you want to choose?")
        if len(targets) == 1:
            # An area contact picks areas: there is nothing to choose between.
            target_kind_field.widget = forms.HiddenInput()
        areas_field = cast(forms.ModelChoiceField, self.fields["target_areas"])
        areas_field.queryset = sendable_areas(user)
        municipalities_field = cast(forms.ModelChoiceField, self.fields["target_municipalities"])
        municipalities_field.queryset = Municipality.objects.filter(
            permissions.sendable_municipalities(user)
        ).order_by("name")
        if self.instance.target_shape:
            self.initial.setdefault("shape", self.instance.target_shape)

    @property
    def offers_shapes(self) -> bool:
        return TargetKind.SHAPE in permissions.allowed_target_kinds(self.user)

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
        elif "shape" not in self.errors:
            self.add_error("shape", _("Draw a shape or a circle around the incident."))

    def save(self, commit: bool = True) -> Alert:
        alert = super().save(commit=False)
        target = alert.target_kind
        alert.target_shape = (
            getattr(self, "target_shape", None) if target == TargetKind.SHAPE else None
        )
        # Only the chosen way counts: the others are emptied, so the draft says one thing.
        data = self.cleaned_data
        if target != TargetKind.AREAS:
            data["target_areas"] = WatchArea.objects.none()
        if target == TargetKind.AREAS:
            data["target_municipalities"] = Municipality.objects.none()
        elif target == TargetKind.SHAPE:
            # Around an incident: the areas of every municipality the sender serves.
            data["target_municipalities"] = cast(
                forms.ModelChoiceField, self.fields["target_municipalities"]
            ).queryset
        if commit:
            alert.save()
            self.save_m2m()
        return alert


def sendable_areas(user: User) -> Any:
    """The areas ``user`` may send to, for the list and the map: one query."""
    return (
        WatchArea.objects.filter(permissions.sendable_areas(user))
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )


class WhenForm(forms.ModelForm):
    """Step 3: now or at a time, how long it holds, public or not, an exercise or not,
    and whether it updates or cancels an earlier alert."""

    NOW, LATER = "now", "later"
    send = forms.ChoiceField(
        label=_("When should it go out?"),
        choices=[(NOW, _("As soon as I press Send")), (LATER, _("At a time I choose"))],
        widget=forms.RadioSelect,
        initial=NOW,
    )
    publish_at = forms.DateTimeField(
        label=_("Send at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    expires_at = forms.DateTimeField(
        label=_("Valid until (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("After this, members see it marked as expired."),
    )

    class Meta:
        model = Alert
        fields = [
            "publish_at",
            "expires_at",
            "is_public",
            "is_exercise",
            "replies_allowed",
            "refers_to",
            "cancels_original",
        ]
        field_classes = {"refers_to": EarlierAlertField}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.publish_at:
            self.initial["send"] = self.LATER
        refers_to_field = cast(forms.ModelChoiceField, self.fields["refers_to"])
        refers_to_field.queryset = earlier_alerts(user)
        refers_to_field.required = False

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        now = timezone.now()
        publish_at: datetime | None = data.get("publish_at")
        if data.get("send") == self.NOW:
            publish_at = data["publish_at"] = None
        elif data.get("send") == self.LATER and "publish_at" not in self.errors:
            if publish_at is None:
                self.add_error("publish_at", _("Choose when to send it."))
            elif publish_at <= now:
                self.add_error("publish_at", _("Choose a time in the future."))
        expires_at = data.get("expires_at")
        if expires_at and expires_at <= (publish_at or now):
            self.add_error("expires_at", _("The alert must be valid after it is sent."))
        if data.get("cancels_original") and not data.get("refers_to"):
            self.add_error("refers_to", _("Choose the earlier alert this one cancels."))
        return data
