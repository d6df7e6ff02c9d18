"""Reading the official providers: when a call may be made, and how it is made.

Each provider is read by one beat task for the whole deployment. Whether a call may
be made now is decided by a row per feed (``FeedState``) taken under a row lock, so
however often beat fires and however many workers run the task, the provider sees at
most one call per interval: the police's rules of use are a contract, and a site that
breaks them is shut out. A failed call pushes the next one back (doubling, up to an
hour, or longer if the provider's ``Retry-After`` says so); what was imported before
stays as it was.

Where the answers come from is the deployment's choice (``*_BACKEND``): ``off``,
``recorded`` (a file, for a staging site or a demonstration without the internet) or
``live`` (the provider over HTTPS).
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

LONGEST_BACKOFF = timedelta(hours=1)
# What a provider may answer at most; the police's 500 events are about 250 kB.
MAX_ANSWER_BYTES = 4 * 1024 * 1024


class FeedUnavailable(Exception):
    """The provider could not be reached or answered with an error."""

    def __init__(self, message: str, *, retry_after: timedelta | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class FeedState(models.Model):
    """When a provider was last called, and when it may be called next."""

    name = models.CharField(_("feed"), max_length=32, unique=True)
    last_call_at = models.DateTimeField(_("last call"), null=True, blank=True)
    next_call_at = models.DateTimeField(_("next call"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("feed state")
        verbose_name_plural = _("feed states")

    def __str__(self) -> str:
        return self.name


def take_turn(name: str, interval: timedelta) -> bool:
    """True if ``name`` may be called now, and then no other caller may for ``interval``."""
    now = timezone.now()
    with contextlib.suppress(IntegrityError):  # a concurrent caller created it just now
        FeedState.objects.get_or_create(name=name)
    with transaction.atomic():
        state = FeedState.objects.select_for_update().get(name=name)
        if state.next_call_at is not None and now < state.next_call_at:
            return False
        state.last_call_at = now
        state.next_call_at = now + interval
        state.save(update_fields=["last_call_at", "next_call_at"])
    return True


def succeeded(name: str) -> None:
    FeedState.objects.filter(name=name).update(
        failures=0, last_success_at=timezone.now(), last_error=""
    )


def failed(name: str, error: Exception, *, interval: timedelta) -> None:
    """Count the failure and push the next call back: the interval doubles with every
    failure in a row, up to an hour, and never earlier than the provider's Retry-After."""
    with transaction.atomic():
        state = FeedState.objects.select_for_update().get(name=name)
        state.failures += 1
        delay = min(interval * 2**state.failures, LONGEST_BACKOFF)
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            delay = max(delay, retry_after)
        state.next_call_at = (state.last_call_at or timezone.now()) + delay
        state.last_error = str(error)[:300]
        state.save(update_fields=["failures", "next_call_at", "last_error"])
    logger.warning("Feed %s failed (%s in a row): %s", name, state.failures, error)


class Source(Protocol):
    def fetch(self, params: dict[str, str]) -> bytes: ...


class HttpSource:
    """GET ``url`` with ``params``, saying who asks (a rule of the police's API)."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        # HTTPS is a rule of use; plain HTTP only to this machine (a local proxy, tests).
        if not (parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(parts))):
            raise ImproperlyConfigured(f"an official feed must be an https:// URL, not {url!r}")
        self.url = url

    def fetch(self, params: dict[str, str]) -> bytes:
        query = urllib.parse.urlencode(params, safe=";")
        url = f"{self.url}?{query}" if query else self.url
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            url,
            headers={
                "User-Agent": f"{settings.SITE_NAME} ({settings.DEFAULT_FROM_EMAIL})",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(  # noqa: S310
                request, timeout=settings.OFFICIAL_FEEDS_TIMEOUT_SECONDS
            ) as response:
                body: bytes = response.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise FeedUnavailable(
                f"HTTP {error.code}", retry_after=_retry_after(error.headers.get("Retry-After"))
            ) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise FeedUnavailable(str(error)) from error
        if len(body) > MAX_ANSWER_BYTES:
            raise FeedUnavailable(f"answer larger than {MAX_ANSWER_BYTES} bytes")
        return body


class RecordedSource:
    """Answers with a file's contents, whatever is asked."""

    def __init__(self, path: str) -> None:
        if not path:
            raise ImproperlyConfigured("a recorded official feed needs the file of its answer")
        self.path = Path(path)

    def fetch(self, params: dict[str, str]) -> bytes:
        try:
            return self.path.read_bytes()[: MAX_ANSWER_BYTES + 1]
        except OSError as error:
            raise FeedUnavailable(str(error)) from error


def source(backend: str, *, url: str, recorded_file: str) -> Source | None:
    """The source a ``*_BACKEND`` setting names; None when it is off."""
    if backend == "off":
        return None
    if backend == "live":
        return HttpSource(url)
    if backend == "recorded":
        return RecordedSource(recorded_file)
    raise ImproperlyConfigured(f"an official feed is off, recorded or live, not {backend!r}")


def _is_loopback(parts: urllib.parse.SplitResult) -> bool:
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname or "").is_loopback
    except ValueError:
        return False


def _retry_after(value: str | None) -> timedelta | None:
    """Retry-After in seconds (the HTTP-date form is rare in APIs and read as absent)."""
    if value and value.strip().isdigit():
        return timedelta(seconds=min(int(value), 86_400))
    return None
