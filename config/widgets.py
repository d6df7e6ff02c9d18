"""Widgets shared by every app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.forms.widgets import Script
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class SizeLimitedFileInput(forms.FileInput):
    """A file chooser that refuses a file over the limit in the browser, before the form
    is sent (``static/js/file-size.js``): a large file would otherwise travel up to the
    proxy's limit only to be refused there. The form checks the size again on the server.

    ``max_bytes`` is called at render time, so the limit follows the settings.
    """

    class Media:
        js = (Script("js/file-size.js", defer=True),)

    def __init__(self, max_bytes: Callable[[], int], attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.max_bytes = max_bytes

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        limit = self.max_bytes()
        context["widget"]["attrs"].update(
            {
                "data-max-bytes": str(limit),
                "data-too-large-text": _(
                    "This file is too large: it can be at most %(limit)s. Choose a smaller one."
                )
                % {"limit": filesizeformat(limit)},
            }
        )
        return context
