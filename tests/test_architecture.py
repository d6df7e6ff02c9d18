"""The shape of the code (README "Architecture notes"), computed from the source.

- No module-level import cycle anywhere in the app code.
- Dependencies point one way: every module belongs to a layer, and imports (at module
  level or inside a function) only from its own layer or the ones below it.
- No module over 500 lines; test modules share helpers through conftest and helper
  modules, never by importing another test module.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("accounts", "config", "notifications", "official", "watch")

# Lowest first. A module belongs to the layer of the longest prefix that names it.
LAYERS: list[tuple[str, ...]] = [
    # Infrastructure: settings, cache, the Celery app, rate limits, security headers.
    ("config",),
    # People and their logins; the personal-data registry every app fills in.
    ("accounts",),
    # Messaging that knows no feature: the outbox pipeline, e-mail and SMS machinery,
    # account notices, how text is rendered.
    (
        "notifications.outbox",
        "notifications.emails",
        "notifications.sms",
        "notifications.notices",
        "notifications.rendering",
        "notifications.verp",
        # Members' push devices and Web Push itself: what any message may use.
        "notifications.push",
    ),
    # Where neighbourhood watch happens and who takes part: areas, households, roles,
    # the audit log, and who may do what.
    (
        "watch.areas",
        "watch.households",
        "watch.roles",
        "watch.audit",
        "watch.permissions",
        "watch.decorators",
        "watch.shortcuts",
        "watch.dates",
        "watch.rows",
        "watch.spreadsheets",
        "watch.templatetags",
        "watch.icons",
        "watch.signs",
        # What the police publish, read from their event list.
        "official.fetching",
        "official.reading",
        "official.police_events",
        "official.crisis_news",
    ),
    # Alerts to those areas' members, and what members choose and read.
    (
        "notifications.alerts",
        "notifications.replies",
        "notifications.channels",
        "notifications.inbox",
        "notifications.preferences",
        "notifications.tips",
        "notifications.public",
        "notifications.permissions",
        "notifications.bounces",
        "notifications.answers",
        "notifications.templatetags",
    ),
    # Features built on alerts (a meeting invites by alert, statistics count deliveries,
    # the municipality page lists public alerts) and the pages that bring it together.
    (
        "watch.community",
        "watch.municipality_page",
        "watch.statistics",
        "watch.dashboards",
        # Households on paper: letters are alerts, printed.
        "watch.paper",
        "watch.personal_data",
        "notifications.personal_data",
        "watch.demo",
        "watch.management",
        # Public warnings, which coordinators forward to members as alerts.
        "official.public_warnings",
    ),
    # Wiring: URLs, admin, app configs, Celery tasks, the model registries.
    (
        "config.urls",
        "config.views",
        "config.errors",
        "config.admin",
        "config.wsgi",
        "config.asgi",
        "accounts.admin",
        "accounts.apps",
        "accounts.urls",
        "accounts.views",
        "accounts.tasks",
        "watch.urls",
        "watch.admin",
        "watch.apps",
        "watch.models",
        "watch.tasks",
        "notifications.urls",
        "notifications.admin",
        "notifications.apps",
        "notifications.models",
        "notifications.tasks",
        "notifications.management",
        "official.urls",
        "official.apps",
        "official.models",
        "official.tasks",
        "official.admin",
    ),
]


@cache
def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            # Migrations are generated; an empty __init__ imports nothing.
            if "migrations" in path.parts or not path.read_text(encoding="utf-8").strip():
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports_of(path: Path, *, module_level_only: bool) -> set[str]:
    """The project modules ``path`` imports (type-checking-only imports left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if module_level_only:
        nodes = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    else:
        type_checking = {
            id(node)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
            for node in ast.walk(block)
        }
        nodes = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in type_checking
        ]
    known = modules()
    targets = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        targets |= {name for name in names if name in known}
    return targets


def layer_of(module: str) -> int:
    matches = [
        (len(prefix), index)
        for index, prefixes in enumerate(LAYERS)
        for prefix in prefixes
        if module == prefix or module.startswith(f"{prefix}.")
    ]
    assert matches, f"{module} belongs to no layer: add it to LAYERS"
    return max(matches)[1]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_level_import_cycles():
    graph = {
        name: imports_of(path, module_level_only=True) - {name} for name, path in modules().items()
    }
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_every_module_belongs_to_a_layer():
    for name in modules():
        layer_of(name)


def test_dependencies_point_down_the_layers():
    upward = sorted(
        f"{name} (layer {layer_of(name)}) imports {target} (layer {layer_of(target)})"
        for name, path in modules().items()
        for target in imports_of(path, module_level_only=False)
        if layer_of(target) > layer_of(name)
    )
    assert upward == []


@pytest.mark.parametrize(("importer", "target"), [("accounts.services", "watch.models")])
def test_an_upward_import_is_noticed(importer, target):
    assert layer_of(target) > layer_of(importer)


def test_no_app_module_is_over_500_lines():
    long = {
        name: lines
        for name, path in modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}


def imported_modules(node: ast.AST) -> list[str]:
    """The modules an import statement names, ``from tests import test_x`` as tests.test_x."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module:
        return [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return []


def test_test_modules_share_helpers_through_helper_modules_not_each_other():
    borrowing = sorted(
        f"{path.name} imports {module}"
        for path in (ROOT / "tests").glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        for module in imported_modules(node)
        if module.startswith("tests.test_")
    )
    assert borrowing == []
