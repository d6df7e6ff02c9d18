"""Push's settings. The VAPID key pair and subject come from the environment
(``settings.VAPID``: ``VAPID_PUBLIC_KEY``, ``VAPID_PRIVATE_KEY``, ``VAPID_SUBJECT``) and
are checked by notifications/push/checks.py; the limits have defaults a deployment may override in
a settings module, like the geometry limits."""

from __future__ import annotations

from django.conf import settings


def vapid_public_key() -> str:
    """The browser's ``applicationServerKey``; empty: push is off."""
    return str(settings.VAPID["PUBLIC_KEY"] or "")


def vapid_private_key() -> str:
    """The raw 32-byte P-256 key, base64url (``manage.py make_vapid_keys``)."""
    return str(settings.VAPID["PRIVATE_KEY"] or "")


def vapid_subject() -> str:
    """Who push services may contact about our messages: mailto: or https:."""
    return str(settings.VAPID["SUBJECT"] or "")


def timeout() -> float:
    """Seconds per request to a push service."""
    return float(getattr(settings, "PUSH_TIMEOUT", 10.0))


def max_devices() -> int:
    """Devices one member may set up."""
    return int(getattr(settings, "PUSH_MAX_DEVICES", 10))


def allow_local_endpoints() -> bool:
    """Endpoints on this machine or a private network, over plain HTTP too: for tests and
    the benchmark only, since a member chooses the endpoint the server posts to."""
    return bool(getattr(settings, "PUSH_ALLOW_LOCAL_ENDPOINTS", False))
