"""Every command the docs mark as runnable works as written, from an empty data directory.

The shell blocks of README.md and docs/*.md that follow a ``<!-- docs-test: run -->`` line use
only the data shipped in the package; they run here in order, in one shell per document (so a
later block may use what an earlier one published), with ``clusterobs`` from this checkout and
a fresh ``CLUSTEROBS_DATA_DIR``. A block that stops with an error fails the test with its output.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MARKER = "<!-- docs-test: run -->"
BLOCK = re.compile(re.escape(MARKER) + r"\s*\n```(?:sh|bash)\n(.*?)\n```", re.S)
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
MARKED = [d for d in DOCUMENTS if MARKER in d.read_text(encoding="utf-8")]

pytestmark = [
    pytest.mark.xdist_group("docs_commands"),
    # The commands run the user's own SQLite platform, whatever database the suite uses: once
    # per CI run (the SQLite pass) is enough.
    pytest.mark.skipif(
        bool(os.environ.get("CLUSTEROBS_DATABASE_URL")),
        reason="runs on SQLite in its own data directory; done in the SQLite pass",
    ),
]


def blocks(document: Path) -> list[str]:
    """The marked shell blocks of ``document`` (a marker without a block is an error)."""
    text = document.read_text(encoding="utf-8")
    found = BLOCK.findall(text)
    assert len(found) == text.count(MARKER), f"{document.name}: a marker is not before a block"
    return found


def test_the_readme_has_a_runnable_block() -> None:
    assert REPO / "README.md" in MARKED and blocks(REPO / "README.md")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory for all documents, initialised by the README's block (first)."""
    return tmp_path_factory.mktemp("docs-data")


@pytest.mark.parametrize("document", MARKED, ids=lambda d: d.name)
def test_marked_blocks_run_as_written(document: Path, data_dir: Path, tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CLUSTEROBS_", "DJANGO_"))
    }  # the user's platform: SQLite in the data directory, not the test database
    env["CLUSTEROBS_DATA_DIR"] = str(data_dir)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    if document.name != "README.md" and not (data_dir / "results" / "us-states").exists():
        init = subprocess.run(
            ["clusterobs", "init", "--no-starter"], env=env, capture_output=True, text=True
        )
        assert init.returncode == 0, init.stdout + init.stderr
    script = "set -euo pipefail\n" + "\n".join(blocks(document))
    done = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, f"{document.name}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
