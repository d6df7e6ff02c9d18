"""System checks of push's configuration (``manage.py check``, run at every deploy)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from notifications.push import conf, webpush


@checks.register(checks.Tags.security)
def check_vapid(**kwargs: Any) -> list[checks.CheckMessage]:
    public, private = conf.vapid_public_key(), conf.vapid_private_key()
    if not (public or private):
        return []
    if not webpush.keys_match(public, private):
        return [
            checks.Error(
                "VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY are not a key pair.",
                hint="Make a pair with manage.py make_vapid_keys.",
                id="push.E001",
            )
        ]
    if not conf.vapid_subject().startswith(("mailto:", "https://")):
        return [checks.Error("VAPID_SUBJECT must be a mailto: or https:// URI.", id="push.E002")]
    if conf.allow_local_endpoints() and not settings.DEBUG:
        return [checks.Error("PUSH_ALLOW_LOCAL_ENDPOINTS is for tests only.", id="push.E003")]
    return []
