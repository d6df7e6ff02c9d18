"""The settings module, loaded in a fresh interpreter with a chosen environment."""

import pytest

from tests.settings_process import PRODUCTION, load_settings


def test_embedded_default_needs_nothing_set():
    result = load_settings({})

    assert result.returncode == 0, result.stderr
    assert "DEBUG = True" in result.stdout
    assert "django.db.backends.sqlite3" in result.stdout
    assert "CELERY_TASK_ALWAYS_EAGER = True" in result.stdout
    assert "console" in result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL", "DATABASE_URL", "DEFAULT_FROM_EMAIL"]
)
def test_production_refuses_to_start_without(missing):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}

    result = load_settings(env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "flase"),
        ("DJANGO_ENV", "prod"),
        ("DATABASE_URL", "mysql://db/x"),
        ("REDIS_URL", "localhost:6379"),
        ("EMAIL_TIMEOUT", "soon"),
        ("CELERY_TASK_TIME_LIMIT", "0"),
        ("SMS_MAX_SEGMENTS", "0"),
        ("ELKS_DRY_RUN", "maybe"),
        ("GEOCODER_TIMEOUT_SECONDS", "soon"),
    ],
)
def test_a_bad_value_stops_the_process_with_its_name(name, value):
    result = load_settings({name: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file-" + "y" * 50 + "\n")
    env = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}

    result = load_settings({**env, "SECRET_KEY_FILE": str(secret)})

    assert result.returncode == 0, result.stderr
    assert "from-a-file-" in result.stdout


def test_production_passes_the_deployment_checklist():
    result = load_settings(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_redis_url_switches_broker_cache_and_eagerness():
    result = load_settings({"REDIS_URL": "redis://127.0.0.1:6379/3"})

    assert result.returncode == 0, result.stderr
    assert "CELERY_BROKER_URL = 'redis://127.0.0.1:6379/3'" in result.stdout
    assert "CELERY_TASK_ALWAYS_EAGER = False" in result.stdout
    assert "config.cache.FailOpenRedisCache" in result.stdout


def test_postgresql_prepares_repeated_statements_unless_a_pooler_cannot_keep_them():
    on = load_settings(
        {**PRODUCTION, "DATABASE_URL": PRODUCTION["DATABASE_URL"] + "?sslmode=require"}
    )
    off = load_settings({**PRODUCTION, "DATABASE_PREPARED_STATEMENTS": "false"})

    assert on.returncode == 0, on.stderr
    assert off.returncode == 0, off.stderr
    assert "'server_side_binding': True" in on.stdout
    assert "'prepare_threshold': 5" in on.stdout
    # Options given in the address are kept.
    assert "'sslmode': 'require'" in on.stdout
    assert "server_side_binding" not in off.stdout
    assert "prepare_threshold" not in off.stdout


def test_the_static_files_folder_can_be_chosen(tmp_path):
    default, chosen = load_settings({}), load_settings({"STATIC_ROOT": str(tmp_path)})

    assert default.returncode == chosen.returncode == 0, default.stderr + chosen.stderr
    assert "STATIC_ROOT = PosixPath('" in default.stdout
    assert "/staticfiles')" in default.stdout
    assert f"STATIC_ROOT = PosixPath('{tmp_path}')" in chosen.stdout
