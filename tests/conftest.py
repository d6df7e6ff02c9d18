from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import User
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.LANGUAGE_CODE = "en"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache, which is Redis in CI's second pass.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def unverified_user(db) -> User:
    return UserFactory(verified=False, full_name="Una Verified")


@pytest.fixture
def member(db) -> User:
    return UserFactory(full_name="Maja Medlem", email="maja@example.org")


@pytest.fixture
def admin_user(db) -> User:
    return UserFactory(
        email="admin@example.org", full_name="Ada Admin", is_staff=True, is_superuser=True
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member_client(member) -> Client:
    return client_for(member)


@pytest.fixture
def admin_client_(admin_user) -> Client:
    return client_for(admin_user)
