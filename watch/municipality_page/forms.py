"""Forms for editing a municipality's public page: texts, contacts, citizen promises."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.forms import BaseModelFormSet, modelformset_factory
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from watch.areas.models import Municipality
from watch.municipality_page.models import CitizenPromise, MunicipalityContact, PromiseItem

# A telephone number as people write it on a web page: "010-565 73 08", "+46 506 362 98".
phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 \-()]{4,30}$",
    _("Enter a telephone number with digits, spaces and hyphens, e.g. 0506-362 98."),
)
FIRST_PROMISE_YEAR = 2000
MAX_CONTACTS = 10
MAX_PROMISE_ITEMS = 30


class PageTextsForm(forms.ModelForm):
    class Meta:
        model = Municipality
        fields = ["how_to_start", "households_total"]
        widgets = {"how_to_start": forms.Textarea(attrs={"rows": 8})}


class ContactForm(forms.ModelForm):
    class Meta:
        model = MunicipalityContact
        fields = ["role", "name", "phone", "email", "position"]
        labels = {"position": _("Order")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators.append(phone_validator)


class BaseContactFormSet(BaseModelFormSet):
    def clean(self) -> None:
        """One person once per role: the database refuses it, so say so on the form."""
        super().clean()
        seen: set[tuple[str, str]] = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and form.cleaned_data.get(DELETION_FIELD_NAME):
                continue
            key = (form.cleaned_data.get("role", ""), form.cleaned_data.get("name", "").casefold())
            if key in seen:
                form.add_error("name", _("This person is already listed in this role."))
            seen.add(key)


ContactFormSet = modelformset_factory(
    MunicipalityContact,
    form=ContactForm,
    formset=BaseContactFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_CONTACTS,
    # No more forms are made than may be sent: a claimed TOTAL_FORMS of 10**20 made
    # Django build its own limit of a thousand or so, seconds of work a request.
    absolute_max=MAX_CONTACTS,
    validate_max=True,
)


class NewPromiseForm(forms.ModelForm):
    class Meta:
        model = CitizenPromise
        fields = ["year", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["year"].initial = timezone.localdate().year

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        last = timezone.localdate().year + 1
        if not FIRST_PROMISE_YEAR <= year <= last:
            raise forms.ValidationError(
                _("Enter a year from %(first)d to %(last)d."),
                params={"first": FIRST_PROMISE_YEAR, "last": last},
            )
        if CitizenPromise.objects.filter(municipality=self.municipality, year=year).exists():
            raise forms.ValidationError(
                _("There is already a citizen promise for %(year)d: edit that one."),
                params={"year": year},
            )
        return year


class PromiseIntroductionForm(forms.ModelForm):
    class Meta:
        model = CitizenPromise
        fields = ["introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 6})}


class PromiseItemForm(forms.ModelForm):
    class Meta:
        model = PromiseItem
        fields = ["text", "status", "position"]
        labels = {"position": _("Order")}


PromiseItemFormSet = modelformset_factory(
    PromiseItem,
    form=PromiseItemForm,
    extra=2,
    can_delete=True,
    max_num=MAX_PROMISE_ITEMS,
    absolute_max=MAX_PROMISE_ITEMS,  # as ContactFormSet's
    validate_max=True,
)
