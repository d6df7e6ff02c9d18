"""Strict readers for settings that come from the environment.

A typo in an environment variable must stop the process at start-up rather than
silently fall back to a default: "DEBUG=flase" is an error, not False.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import overload

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@overload
def envstr(name: str) -> str | None: ...
@overload
def envstr(name: str, default: str) -> str: ...
def envstr(name: str, default: str | None = None) -> str | None:
    """The variable's value, or the contents of the file named by ``NAME_FILE``.

    The ``_FILE`` form lets secrets come from Docker/Kubernetes secret files
    instead of the process environment.
    """
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value


def envbool(name: str, default: bool) -> bool:
    value = envstr(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, not {value!r}")


def envint(name: str, default: int, *, minimum: int | None = None) -> int:
    value = envstr(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def envfloat(name: str, default: float) -> float:
    value = envstr(name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None


def envchoice(name: str, choices: Sequence[str], default: str) -> str:
    value = envstr(name, default)
    assert value is not None  # noqa: S101 - default is a str
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def envlist(name: str, default: Sequence[str] = ()) -> list[str]:
    value = envstr(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def envdb(name: str, default: str) -> dict:
    url = envstr(name, default)
    assert url is not None  # noqa: S101 - default is a str
    try:
        config = environ.Env.db_url_config(url)
    except Exception as exc:  # environ raises several kinds on malformed URLs
        raise ImproperlyConfigured(f"{name} is not a usable database URL: {exc}") from exc
    if config.get("ENGINE") not in {
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    }:
        raise ImproperlyConfigured(f"{name} must be a sqlite:// or postgres:// URL, not {url!r}")
    return config


def envemail(name: str, default: str) -> dict:
    url = envstr(name, default)
    assert url is not None  # noqa: S101 - default is a str
    try:
        return environ.Env.email_url_config(url)
    except Exception as exc:
        raise ImproperlyConfigured(f"{name} is not a usable e-mail URL: {exc}") from exc
