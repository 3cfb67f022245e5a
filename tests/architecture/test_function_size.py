"""Orchestration stays readable: no function over 80 lines in the engine's packages and the CLI
(the pipeline was one 363-line function once; each step is now its own short function)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "clusterobs"
PACKAGES = ("mapping", "cli", "tables")
MAX_LINES = 80


def _long_functions(package: str) -> list[str]:
    found = []
    for path in sorted((SRC / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_LINES:
                    found.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name} ({lines})")
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_no_function_over_80_lines(package: str) -> None:
    assert _long_functions(package) == []
