"""The import layers of docs/architecture.md hold: a lower layer never imports a higher one,
there is no import cycle between packages or between files, and the analytics core never
imports Django (directly or through another module of ours).

Read from the source with ``ast`` (every import, including those inside functions and under
``TYPE_CHECKING``), so the test needs nothing installed but the code itself.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "clusterobs"

#: top-level package -> layer (higher may import lower; see docs/architecture.md)
LAYERS = {
    "config": 0,
    "data": 0,
    "redact": 0,
    "tables": 1,
    "imports": 2,
    "classifications": 2,
    "sources": 2,
    "definitions": 2,
    "mapping": 3,
    "complexity": 3,
    "spatial": 3,
    "regions": 4,
    "references": 4,
    "registry": 5,
    "programmes": 6,
    "collaboration": 6,
    "excellence": 7,
    "accounts": 7,
    "knowledge": 7,
    "observatory": 7,
    "web": 8,
    "cli": 9,
}
CORE_LAYER = 3  # layers 0-3 (and regions-as-data) are the analytics core: no Django
REGIONS_AS_DATA_LAYER = 2


def _name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {_name(p): p for p in SRC.rglob("*.py") if "migrations" not in p.parts}


@cache
def _imports(module: str) -> tuple[frozenset[str], bool]:
    """(modules of ours that ``module`` imports, whether it imports Django)."""
    mods = _modules()
    tree = ast.parse(mods[module].read_text())
    ours: set[str] = set()
    django = False
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        for name in names:
            if name.split(".")[0] in {"django", "rest_framework", "drf_spectacular"}:
                django = True
            if not name.startswith("clusterobs."):
                continue
            while name not in mods and "." in name:
                name = name.rsplit(".", 1)[0]
            if name in mods and name != module and name != "clusterobs":
                ours.add(name)
    return frozenset(ours), django


def _package(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


def _layer(module: str) -> int:
    package = _package(module)
    if package == "regions" and not _imports(module)[1] and not module.endswith("regions"):
        return REGIONS_AS_DATA_LAYER
    return LAYERS[package]


def test_every_package_has_a_layer() -> None:
    packages = {_package(m) for m in _modules()} - {""}
    assert packages <= set(LAYERS), sorted(packages - set(LAYERS))


def test_no_lower_layer_imports_a_higher_one() -> None:
    wrong = [
        f"{m} (layer {_layer(m)}) imports {t} (layer {_layer(t)})"
        for m in _modules()
        if _package(m)
        for t in _imports(m)[0]
        if _package(t) and _layer(t) > _layer(m)
    ]
    assert not wrong, "\n".join(sorted(wrong))


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_between_files() -> None:
    graph = {m: set(_imports(m)[0]) for m in _modules()}
    assert _cycles(graph) == []


def test_no_import_cycle_between_packages() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for m in _modules():
        for t in _imports(m)[0]:
            if _package(t) and _package(m) and _package(t) != _package(m):
                graph[_package(m)].add(_package(t))
    assert _cycles(graph) == []


@pytest.mark.parametrize("module", sorted(m for m in _modules() if _package(m)))
def test_analytics_core_never_imports_django(module: str) -> None:
    if _layer(module) > CORE_LAYER:
        return
    seen, todo = set(), [module]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        ours, django = _imports(current)
        assert not django, f"{module} reaches Django through {current}"
        todo.extend(ours)


def test_the_check_sees_a_violation() -> None:
    """The rules would fail on a lower layer importing a higher one (the test can fail)."""
    assert _layer("clusterobs.mapping.pipeline") < _layer("clusterobs.observatory.store")
    assert _layer("clusterobs.regions.countries") < _layer("clusterobs.registry.models")
    assert _cycles({"a": {"b"}, "b": {"a"}}) == [["a", "b"]]


def test_the_layer_table_matches_the_test() -> None:
    """docs/architecture.md lists the same packages in the same layers as ``LAYERS``."""
    doc = (SRC.parents[1] / "docs" / "architecture.md").read_text()
    documented: dict[str, int] = {}
    for line in doc.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].isdigit():
            for name in cells[1].split(","):
                documented[name.strip().strip("`")] = int(cells[0])
    assert documented == LAYERS


def test_models_and_migrations_agree() -> None:
    """No model change without its migration, and nothing of ours makes Django's own models
    (sessions, auth, admin) look changed: ``makemigrations --check`` finds nothing to write."""
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "django", "makemigrations", "--check", "--dry-run"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "clusterobs.web.settings"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
