"""Standing fixtures: one per role, around two municipalities with an area each.

Municipality M holds area A (the rightful one) and area B; municipality N holds
area C. Each role fixture is a user; ``client_for(user)`` logs them in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core import mail
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.urls import resolve, reverse

from accounts.models import User
from config.celery_app import app as celery_app
from notifications.alerts import languages
from notifications.alerts import services as alert_services
from notifications.alerts.models import Alert
from notifications.channels import email as email_channel
from notifications.sms import backends as sms_backends
from official.public_warnings import selectors as public_warnings
from tests.factories import (
    MunicipalityFactory,
    UserFactory,
    WatchAreaFactory,
    alert_for,
    member_of,
    official,
    with_mfa,
)
from watch.areas.models import Municipality, WatchArea
from watch.roles.models import AreaContact, OfficialKind

# The permission matrix's fixtures, for every test that walks its rows.
pytest_plugins = ["tests.matrix"]


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "notifications.sms.backends.LocmemBackend"
    settings.GEOCODER_BACKEND = "watch.areas.geocoding.DisabledGeocoder"  # never the network
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.LANGUAGE_CODE = "en"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clean_state():
    # Rate-limit counters live in the cache, which is Redis in CI's second pass.
    cache.clear()
    sms_backends.outbox.clear()
    # Letters a worker keeps: another test's alert may have had the same id and time.
    email_channel._recent.clear()
    # What this process read of the shared cache, which was just emptied.
    public_warnings.kept_current.cache_clear()
    yield
    cache.clear()
    public_warnings.kept_current.cache_clear()
    sms_backends.outbox.clear()


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The composer's steps and the fields each one posts (notifications/alerts/forms.py).
COMPOSER_STEPS = (
    (
        "notifications:alert_create",
        (
            "kind",
            "severity",
            "title",
            "body",
            # Versions in other languages (notifications.alerts.languages).
            *(f"{part}_{code}" for code in languages.KNOWN for part in ("title", "body")),
        ),
    ),
    (
        "notifications:alert_who",
        (
            "target_kind",
            "target_areas",
            "target_municipalities",
            "shape",
            "circle_longitude",
            "circle_latitude",
            "circle_radius",
        ),
    ),
    (
        "notifications:alert_when",
        (
            "send",
            "publish_at",
            "expires_at",
            "is_public",
            "is_exercise",
            "refers_to",
            "cancels_original",
        ),
    ),
)


def compose(client: Client, **fields: object) -> HttpResponse:
    """Write an alert through the composer's steps, What, Who and When, as a sender does:
    a police alert to picked areas, sent as soon as it is sent, with ``fields`` on top.

    Returns the response of the first step that does not go on (its form with errors, a
    403, 404 or 429), else the last step's redirect to Check. Steps before it are saved,
    as they are for the sender: the draft exists once What is saved.
    """
    data = {
        "kind": "police_alert",
        "severity": "normal",
        "title": "Bilinbrott",
        "body": "Flera bilar har brutits upp i natt.",
        "target_kind": "areas",
        "send": "later" if fields.get("publish_at") else "now",
        **fields,
    }
    response = HttpResponse()
    pk = None
    for name, names in COMPOSER_STEPS:
        url = reverse(name, args=[pk] if pk else [])
        response = client.post(url, {key: data[key] for key in names if key in data})
        if response.status_code != 302:
            return response
        pk = resolve(urlsplit(response["Location"]).path).kwargs["pk"]
    return response


# --- Places --------------------------------------------------------------------------------


@pytest.fixture
def municipality(db) -> Municipality:
    return MunicipalityFactory(name="Mariestad", code="1493", slug="mariestad")


@pytest.fixture
def other_municipality(db) -> Municipality:
    return MunicipalityFactory(name="Töreboda", code="1473", slug="toreboda")


@pytest.fixture
def area(municipality) -> WatchArea:
    return WatchAreaFactory(municipality=municipality, name="Marieholm")


@pytest.fixture
def area_b(municipality) -> WatchArea:
    return WatchAreaFactory(municipality=municipality, name="Ekudden")


@pytest.fixture
def area_c(other_municipality) -> WatchArea:
    return WatchAreaFactory(municipality=other_municipality, name="Bråten")


# --- People --------------------------------------------------------------------------------


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def unverified_user(db) -> User:
    return UserFactory(verified=False, full_name="Una Verified")


@pytest.fixture
def member(db) -> User:
    """A verified user with no household yet."""
    return UserFactory(full_name="Maja Medlem", email="maja@example.org")


@pytest.fixture
def member_client(member) -> Client:
    return client_for(member)


@pytest.fixture
def area_member(area) -> User:
    """An approved member of area A."""
    return member_of(area, full_name="Anna Areamedlem", email="anna@example.org")


@pytest.fixture
def area_contact(area) -> User:
    user = member_of(area, full_name="Eva Kontakt", email="eva@example.org")
    AreaContact.objects.create(area=area, user=user, is_main=True)
    return user


@pytest.fixture
def other_area_contact(area_b) -> User:
    user = member_of(area_b, full_name="Bo Annanstans", email="bo@example.org")
    AreaContact.objects.create(area=area_b, user=user)
    return user


@pytest.fixture
def coordinator(municipality) -> User:
    return official(OfficialKind.COORDINATOR, municipality, full_name="Sara Samordnare")


@pytest.fixture
def police(municipality) -> User:
    return official(OfficialKind.POLICE, municipality, full_name="Per Polis")


@pytest.fixture
def other_coordinator(other_municipality) -> User:
    return official(OfficialKind.COORDINATOR, other_municipality, full_name="Olof Annan")


@pytest.fixture
def admin_user(db) -> User:
    """An administrator, with the second factor the admin requires."""
    return with_mfa(
        UserFactory(
            email="admin@example.org", full_name="Ada Admin", is_staff=True, is_superuser=True
        )
    )


# --- Celery ---------------------------------------------------------------------------------


@pytest.fixture
def eager_retries() -> Iterator[None]:
    """Let an eagerly run task retry (at once, its countdown ignored).

    Eager Celery runs a retry only if task errors are not propagated; the suite
    propagates them, so that a failing task fails its test.
    """
    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = previous


@pytest.fixture
def send_to_areas(django_capture_on_commit_callbacks):
    """Send an alert to areas the way the composer does, its tasks run eagerly."""

    def send(actor: User, *areas: WatchArea, **fields: object) -> Alert:
        alert = alert_for(actor, *areas, **fields)
        with django_capture_on_commit_callbacks(execute=True):
            alert_services.send_alert(actor=actor, alert=alert)
        alert.refresh_from_db()
        return alert

    return send


# --- Nothing written ------------------------------------------------------------------------

# Everything a request could change; sessions (where messages live) are left out.
STATE_APPS = (
    "accounts",
    "watch",
    "notifications",
    "official",
    "account",
    "mfa",
    "django_celery_beat",
)


def database_state() -> dict[str, list[tuple]]:
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for label in STATE_APPS
        for model in apps.get_app_config(label).get_models()
    }


@pytest.fixture
def nothing_written(django_capture_on_commit_callbacks) -> Callable[[], Any]:
    """A context manager: no row changed, nothing queued after commit, no mail or SMS."""

    @contextmanager
    def check() -> Iterator[None]:
        before, mails, texts = database_state(), len(mail.outbox), len(sms_backends.outbox)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            yield
        assert callbacks == []
        assert database_state() == before
        assert (len(mail.outbox), len(sms_backends.outbox)) == (mails, texts)

    return check
