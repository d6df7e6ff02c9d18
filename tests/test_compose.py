"""Static checks of docker-compose.yml and the Dockerfile (Docker itself is not needed).

Every module path, file and URL the containers' commands name must exist in this
project, and every environment variable the compose file sets for the application
must be one that config/settings.py reads, so a rename or a typo fails here rather
than in a container.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import shlex
from pathlib import Path

import pytest
import yaml
from celery import Celery
from django.core.management import get_commands
from django.urls import resolve

import dev
from tests.dockerfile import dockerfile_instructions

# Importing config.wsgi builds the WSGI handler, and WhiteNoise warns that the
# static files have not been collected; that is expected outside the image.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict[str, dict] = COMPOSE["services"]
APP_SERVICES = ["web", "worker", "beat", "bounces"]

MODULE_ATTR = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
SETTINGS_READ = re.compile(r"\benv(?:str|bool|int|float|list|choice|db|email)\(\s*\"(\w+)\"")
SHELLS = {"sh", "/bin/sh", "bash", "/bin/bash"}


def words(command: str | list[str]) -> list[str]:
    """A command split as compose or Docker would, with ``sh -c`` scripts split too."""
    parts = shlex.split(command) if isinstance(command, str) else list(command)
    result = []
    for index, part in enumerate(parts):
        if index >= 2 and parts[index - 1] == "-c" and parts[index - 2] in SHELLS:
            result.extend(shlex.split(part))
        else:
            result.append(part)
    return result


def references(command: str | list[str]) -> list[tuple[str, str]]:
    """The (kind, name) pairs a command points at in this project."""
    ws = words(command)
    found = []
    for index, word in enumerate(ws):
        following = ws[index + 1] if index + 1 < len(ws) else ""
        if word in ("-A", "--app"):
            found.append(("celery-app", following))
        elif word in ("-S", "--scheduler"):
            found.append(("class", following))
        elif word == "gunicorn":
            target = next((w for w in ws[index + 1 :] if MODULE_ATTR.match(w)), "")
            found.append(("wsgi", target))
        elif word.endswith(".py"):
            found.append(("file", word))
            if word == "manage.py" and following:
                found.append(("manage-command", following))
        elif word == "-c" and index > 0 and ws[index - 1].startswith("python"):
            found.append(("python-code", following))
            found.extend(
                ("url", url) for url in re.findall(r"https?://[^/'\"]+(/[^'\"]*)", following)
            )
    return found


def resolve_reference(kind: str, name: str) -> object:
    """Import, find or compile what a command names; fails if it does not exist."""
    if kind == "file":
        path = ROOT / name
        assert path.is_file(), f"{name} does not exist"
        return path
    if kind == "python-code":
        return compile(name, "<command>", "exec")
    if kind == "url":
        return resolve(name)
    if kind == "manage-command":
        assert name in get_commands(), f"manage.py has no command {name}"
        return name
    module_name, _, attribute = name.partition(":")
    module = importlib.import_module(module_name)
    if kind == "celery-app":
        # Celery's -A finds the attribute "app" when the name has no ":attribute".
        return getattr(module, attribute or "app")
    return getattr(module, attribute)


def check_reference(kind: str, name: str) -> None:
    target = resolve_reference(kind, name)
    if kind == "celery-app":
        assert isinstance(target, Celery), f"{name} is not a Celery app"
    elif kind == "wsgi":
        assert callable(target), f"{name} is not callable"
    elif kind == "class":
        assert isinstance(target, type), f"{name} is not a class"


def healthcheck_command(healthcheck: dict) -> list[str]:
    """The command a compose healthcheck runs: CMD is exec form, CMD-SHELL a shell script."""
    test = healthcheck["test"]
    if isinstance(test, str):
        return ["/bin/sh", "-c", test]
    if test[0] == "CMD-SHELL":
        return ["/bin/sh", "-c", test[1]]
    assert test[0] == "CMD", f"unexpected healthcheck test {test!r}"
    return test[1:]


def service_commands() -> list:
    """Every command and health check in the compose file, as pytest parameters."""
    commands = []
    for name, service in SERVICES.items():
        if "command" in service:
            commands.append(pytest.param(service["command"], id=f"{name}-command"))
        if "healthcheck" in service and not service["healthcheck"].get("disable"):
            command = healthcheck_command(service["healthcheck"])
            commands.append(pytest.param(command, id=f"{name}-healthcheck"))
    return commands


def dockerfile_command(keyword: str) -> list[str]:
    """The last CMD/ENTRYPOINT/HEALTHCHECK's command, exec form or shell form."""
    arguments = [args for key, args in dockerfile_instructions() if key == keyword][-1]
    if keyword == "HEALTHCHECK":
        arguments = re.sub(r"^(--\S+\s+)*CMD\s+", "", arguments)
    if arguments.startswith("["):
        return json.loads(arguments)
    return ["/bin/sh", "-c", arguments]


def test_the_seven_services_are_defined():
    assert set(SERVICES) >= {"caddy", "db", "redis", "mailpit", "web", "worker", "beat"}


def test_build_contexts_contain_the_dockerfile():
    for name, service in SERVICES.items():
        if "build" in service:
            build = service["build"]
            context = build if isinstance(build, str) else build.get("context", ".")
            dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile")
            assert (ROOT / context / (dockerfile or "Dockerfile")).is_file(), name


def test_app_services_run_the_project_image():
    for name in APP_SERVICES:
        assert "build" in SERVICES[name], name


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_commands_name_project_entry_points(name):
    assert references(SERVICES[name]["command"]), f"{name}'s command names nothing to check"


@pytest.mark.parametrize("command", service_commands())
def test_compose_command_references_exist(command):
    for kind, name in references(command):
        check_reference(kind, name)


def test_depends_on_names_defined_services():
    for name, service in SERVICES.items():
        for dependency in service.get("depends_on", []):
            assert dependency in SERVICES, f"{name} depends on undefined {dependency}"


def test_services_waited_on_until_healthy_have_healthchecks():
    for name, service in SERVICES.items():
        depends_on = service.get("depends_on", {})
        if isinstance(depends_on, dict):
            for dependency, condition in depends_on.items():
                if condition.get("condition") == "service_healthy":
                    assert "healthcheck" in SERVICES[dependency], f"{name} waits on {dependency}"


def test_named_volumes_are_declared():
    declared = set(COMPOSE.get("volumes") or {})
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source")
            if source and not source.startswith(("/", ".", "~", "$")):
                assert source in declared, f"{name} mounts undeclared volume {source}"


@pytest.mark.parametrize("name", ["db", "redis", "web"])
def test_service_has_a_healthcheck(name):
    healthcheck = SERVICES[name].get("healthcheck", {})
    assert not healthcheck.get("disable")
    assert healthcheck_command(healthcheck)


def test_web_healthcheck_probes_healthz():
    urls = [
        n for k, n in references(healthcheck_command(SERVICES["web"]["healthcheck"])) if k == "url"
    ]
    assert urls == ["/healthz/live"]


def test_app_environment_is_read_by_settings():
    settings_source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    read = set(SETTINGS_READ.findall(settings_source))
    read |= {f"{name}_FILE" for name in read}  # config.env.envstr also reads NAME_FILE
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= read  # the pattern still matches
    for name in APP_SERVICES:
        environment = SERVICES[name].get("environment", {})
        if isinstance(environment, list):
            environment = dict(item.partition("=")[::2] for item in environment)
        unknown = set(environment) - read
        assert not unknown, f"{name} sets variables settings.py never reads: {sorted(unknown)}"


@pytest.mark.parametrize("name", ["SECRET_KEY", "DEFAULT_FROM_EMAIL"])
def test_required_values_are_required_not_defaulted(name):
    assert COMPOSE["x-app-env"][name].startswith(f"${{{name}:?")


def test_only_caddy_is_published_and_the_app_trusts_exactly_that_one_proxy():
    """gunicorn is reached only through Caddy, which writes X-Forwarded-For itself: the
    app counts one proxy, so login limits count each client (tests/test_production_stack.py
    proves it on the running stack)."""
    published = {name for name, service in SERVICES.items() if service.get("ports")}
    assert published == {"caddy", "mailpit", "bounces"}
    assert SERVICES["mailpit"]["ports"] == ["127.0.0.1:8025:8025"]
    # The bounce receiver speaks SMTP only, for signed return paths (notifications.bounces).
    assert SERVICES["bounces"]["ports"] == ["25:2525"]
    assert COMPOSE["x-app-env"]["TRUSTED_PROXY_COUNT"] == "1"
    caddyfile = (ROOT / "Caddyfile").read_text(encoding="utf-8")
    directives = [line.split("#")[0] for line in caddyfile.splitlines()]
    assert not [line for line in directives if "trusted_proxies" in line]
    assert "reverse_proxy {$UPSTREAM:web:8000}" in caddyfile


def test_the_native_stack_runs_the_compose_services_commands():
    web = SERVICES["web"]["command"]
    assert web[:2] == ["sh", "-c"]
    assert web[2] == dev.WEB_COMMAND.format(bind="0.0.0.0:8000")
    assert SERVICES["worker"]["command"] == dev.WORKER_COMMAND
    assert SERVICES["beat"]["command"] == dev.BEAT_COMMAND


def test_each_native_stack_keeps_its_files_in_its_own_folder(tmp_path):
    """Two stacks at once (the production-stack tests once ran on two CI workers) must not
    share a folder: two collectstatic runs into one deleted each other's files."""
    args = argparse.Namespace(
        port=8443, database_url="postgres://127.0.0.1/x", redis_url="redis://127.0.0.1/1"
    )

    env = dev.stack_environment(args, tmp_path, 2525)

    for name in ("STATIC_ROOT", "MEDIA_ROOT"):
        assert Path(env[name]).is_relative_to(tmp_path), name


@pytest.mark.parametrize("keyword", ["CMD", "HEALTHCHECK"])
def test_dockerfile_command_references_exist(keyword):
    found = references(dockerfile_command(keyword))
    assert found, f"the Dockerfile's {keyword} names nothing to check"
    for kind, name in found:
        check_reference(kind, name)


def test_dockerfile_entrypoint_references_exist():
    if any(key == "ENTRYPOINT" for key, _ in dockerfile_instructions()):
        for kind, name in references(dockerfile_command("ENTRYPOINT")):
            check_reference(kind, name)


def test_dockerfile_healthcheck_probes_healthz():
    urls = [n for k, n in references(dockerfile_command("HEALTHCHECK")) if k == "url"]
    assert urls == ["/healthz/live"]


def test_dockerfile_runs_as_a_non_root_user():
    users = [args for key, args in dockerfile_instructions() if key == "USER"]
    assert users
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_installs_only_hashed_requirements():
    runs = [args for key, args in dockerfile_instructions() if key == "RUN"]
    assert any("--require-hashes -r requirements.txt" in run for run in runs)


def test_dockerignore_keeps_secrets_and_tests_out():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", ".git", ".venv", "db.sqlite3", "tests"} <= set(ignored)
