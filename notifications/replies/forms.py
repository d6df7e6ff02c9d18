"""The one form of a conversation: a message, from the member or a handler, perhaps with
a photo."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from config import photos
from config.widgets import SizeLimitedFileInput
from notifications.replies.models import TEXT_MAX_LENGTH


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=SizeLimitedFileInput(
            photos.max_bytes, attrs={"accept": ",".join(photos.CONTENT_TYPES.values())}
        ),
        help_text=_("JPEG, PNG or WebP. Where it was taken and other hidden details are removed."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload = data.get("photo")
        if upload:
            try:
                data["photo"] = photos.clean_photo(upload, size=upload.size, keep_location=False)
            except forms.ValidationError as error:
                self.add_error("photo", error)
        return data

    def cleaned_photo(self) -> photos.CleanPhoto | None:
        return self.cleaned_data.get("photo") or None
