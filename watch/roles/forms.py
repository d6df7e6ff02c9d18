"""Appointing an area contact."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from watch.households.forms import EmailForm


class AppointContactForm(EmailForm):
    is_main = forms.BooleanField(label=_("Main contact"), required=False)
