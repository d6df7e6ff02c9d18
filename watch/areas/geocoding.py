"""Finding a street address on the map, for people who cannot place a pin.

A small interface in the manner of Django's e-mail backends: ``GEOCODER_BACKEND``
names a class with ``geocode(query) -> Place | None``; ``get_geocoder()`` builds it.

- ``NominatimGeocoder`` asks a Nominatim server (OpenStreetMap's public
  one unless ``GEOCODER_URL`` says otherwise; a municipality may run its own or point
  at a commercial Nominatim-compatible service). Its usage policy requires an
  identifying User-Agent and at most one request a second. The address search is public,
  so that second is enforced for the whole site (a slot in the shared cache): a burst
  of searches gets "not available" instead of getting the site banned or holding every
  worker for the timeout.
- ``DisabledGeocoder`` (default) answers that address search is not available: sending
  residents' home addresses to a third party is the municipality's decision to make.

A geocoder that cannot be reached raises ``GeocoderUnavailable``; callers then ask for
the pin or the coordinates instead, so registration never depends on the service.
"""

from __future__ import annotations

import json
import logging
import math
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AddressQuery:
    street_address: str
    postal_code: str = ""
    town: str = ""

    def __str__(self) -> str:
        return ", ".join(
            part for part in (self.street_address, self.postal_code, self.town) if part
        )


@dataclass(frozen=True)
class Place:
    longitude: float
    latitude: float
    label: str


class GeocoderUnavailable(Exception):
    """The geocoder is switched off, unreachable or answered nonsense."""


class Geocoder(Protocol):
    def geocode(self, query: AddressQuery) -> Place | None: ...


class DisabledGeocoder:
    enabled = False

    def geocode(self, query: AddressQuery) -> Place | None:
        raise GeocoderUnavailable("address search is switched off (GEOCODER_BACKEND)")


class NominatimGeocoder:
    """Nominatim's structured search (``/search?street=…&postalcode=…&city=…``), Sweden only."""

    def __init__(
        self, *, url: str | None = None, timeout: float | None = None, user_agent: str | None = None
    ) -> None:
        self.url = url or settings.GEOCODER_URL
        if urllib.parse.urlsplit(self.url).scheme not in {"http", "https"}:
            raise ImproperlyConfigured(f"GEOCODER_URL must be an http(s) URL, not {self.url!r}")
        self.timeout = timeout if timeout is not None else settings.GEOCODER_TIMEOUT_SECONDS
        self.user_agent = user_agent or f"{settings.SITE_NAME} ({settings.DEFAULT_FROM_EMAIL})"

    def geocode(self, query: AddressQuery) -> Place | None:
        if not _take_this_seconds_slot():
            raise GeocoderUnavailable("more than one lookup a second")
        params = {
            "street": query.street_address,
            "postalcode": query.postal_code.replace(" ", ""),
            "city": query.town,
            "countrycodes": "se",
            "format": "jsonv2",
            "limit": "1",
        }
        url = f"{self.url}?{urllib.parse.urlencode({k: v for k, v in params.items() if v})}"
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            url, headers={"User-Agent": self.user_agent, "Accept": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                results = json.load(response)
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            logger.warning("Geocoder %s failed: %s", self.url, error)
            raise GeocoderUnavailable(str(error)) from error
        if not isinstance(results, list):
            raise GeocoderUnavailable(f"unexpected answer: {type(results).__name__}")
        if not results:
            return None
        try:
            first = results[0]
            longitude, latitude = float(first["lon"]), float(first["lat"])
            label = str(first.get("display_name", ""))
        except (KeyError, TypeError, ValueError) as error:
            raise GeocoderUnavailable(f"unexpected answer: {error}") from error
        if not (math.isfinite(longitude) and math.isfinite(latitude)):
            raise GeocoderUnavailable("unexpected answer: coordinates are not numbers")
        return Place(longitude=longitude, latitude=latitude, label=label)


def _take_this_seconds_slot() -> bool:
    """True for the first lookup of the current second, site-wide (``cache.add`` is atomic;
    with Redis unreachable it answers True: config.cache fails open)."""
    return cache.add(f"geocoder:second:{int(time.time())}", True, timeout=2)


def get_geocoder() -> Geocoder:
    return import_string(settings.GEOCODER_BACKEND)()


def enabled() -> bool:
    """Whether address search is switched on, so forms offer it only then."""
    return getattr(import_string(settings.GEOCODER_BACKEND), "enabled", True)
