"""A browser's push subscription as its script posts it, checked before anything is kept."""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from notifications.push import conf, webpush
from notifications.push.models import ENDPOINT_MAX_LENGTH

BAD_KEY = _("The browser sent keys that are not valid for push notifications. Try again.")

# (pattern in the User-Agent, name) in the order they must be tried: Edge and Opera say
# "Chrome" too, Chrome says "Safari".
_BROWSERS = [
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
]


def device_label(user_agent: str) -> str:
    """ "Firefox · Android" from a User-Agent, for the member to tell devices apart."""
    found = [
        next((name for pattern, name in table if pattern in user_agent), "")
        for table in (_BROWSERS, _SYSTEMS)
    ]
    return " · ".join(name for name in found if name)


def check_endpoint(url: str) -> None:
    parts = urlsplit(url)
    local = conf.allow_local_endpoints()
    if parts.scheme != "https" and not (local and parts.scheme == "http"):
        raise ValidationError(_("The push service's address must begin with https://."))
    host = parts.hostname or ""
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        host = ""
    if not host or parts.username or parts.password or re.search(r"\s", url):
        raise ValidationError(_("That is not the address of a push service."))
    try:
        on_the_internet = webpush.public_address(str(ipaddress.ip_address(host)))
    except ValueError:
        on_the_internet = not webpush.local_name(host)
    if not (on_the_internet or local):
        raise ValidationError(
            _("The push service must be on the internet, not on this computer's network.")
        )


class SubscriptionForm(forms.Form):
    """``PushSubscription.toJSON()``: the endpoint and the keys, base64url."""

    endpoint = forms.CharField(max_length=ENDPOINT_MAX_LENGTH, strip=False)
    p256dh = forms.CharField(max_length=100, strip=False, error_messages={"required": BAD_KEY})
    auth = forms.CharField(max_length=40, strip=False, error_messages={"required": BAD_KEY})

    @classmethod
    def from_json(cls, data: Any) -> SubscriptionForm:
        """The form for a decoded JSON body; anything but strings counts as missing."""
        data = data if isinstance(data, dict) else {}
        keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
        fields = {"endpoint": data.get("endpoint"), **{k: keys.get(k) for k in ("p256dh", "auth")}}
        return cls({name: value for name, value in fields.items() if isinstance(value, str)})

    def clean_endpoint(self) -> str:
        endpoint: str = self.cleaned_data["endpoint"]
        check_endpoint(endpoint)
        return endpoint

    def clean_p256dh(self) -> str:
        raw = webpush.decode_key(self.cleaned_data["p256dh"], webpush.P256DH_BYTES)
        # An uncompressed point (0x04, x, y) on P-256: what RFC 8291 encrypts to.
        if raw is None or raw[0] != 4 or not webpush.is_p256_point(raw):
            raise ValidationError(BAD_KEY)
        return webpush.encode_key(raw)

    def clean_auth(self) -> str:
        raw = webpush.decode_key(self.cleaned_data["auth"], webpush.AUTH_BYTES)
        if raw is None:
            raise ValidationError(BAD_KEY)
        return webpush.encode_key(raw)
