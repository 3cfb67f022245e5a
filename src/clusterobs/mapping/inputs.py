"""Keep a result's input files inside the result directory.

Why: a published result must stand on its own. The observatory reads the cluster definition
(industry lists), the relatedness table (cluster numbering) and, for custom clusters, the
employment data long after the build, possibly on another machine or after the analyst's files
have moved. Paths to the analyst's files would break; copies inside the result do not. The
SHA-256 of each file is recorded so that anyone can check a result was built from the data it
names (reproducible statistics).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

#: Sub-directory of a result holding its inputs; manifest paths are relative to the result.
INPUTS_DIR = "inputs"
#: Manifest ``inputs`` keys that name files.
FILE_KEYS = ("employment", "definitions", "regions", "relatedness")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _place(source: Path, target: Path) -> None:
    """Hard-link when source and result share a file system (no extra disk), else copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def bundle_inputs(result_dir: Path, inputs: dict[str, Any]) -> dict[str, Any]:
    """Place every input file named in ``inputs`` under ``result_dir/inputs/`` and return the
    manifest entry: relative paths, the original paths and SHA-256 checksums.

    Values that are not existing files (``"built-in U.S. states"``, ``None``) are kept as they
    are. A missing file is an error: the result would otherwise claim an input it cannot show.
    """
    result_dir = Path(result_dir)
    target_dir = result_dir / INPUTS_DIR
    entry: dict[str, Any] = {k: v for k, v in inputs.items() if k not in FILE_KEYS}
    originals: dict[str, str] = {}
    checksums: dict[str, str] = {}
    used: set[str] = set()
    for key in FILE_KEYS:
        value = inputs.get(key)
        if value is None or (key == "regions" and not Path(str(value)).is_file()):
            entry[key] = value
            continue
        source = Path(str(value))
        if not source.is_file():
            raise FileNotFoundError(f"input {key}: {source} is not a file")
        name = source.name if source.name not in used else f"{key}-{source.name}"
        used.add(name)
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / name
        if target.exists():
            target.unlink()
        _place(source, target)
        entry[key] = f"{INPUTS_DIR}/{name}"
        originals[key] = str(source.resolve())
        checksums[key] = sha256(target)
    entry["original_paths"] = originals
    entry["sha256"] = checksums
    return entry


def input_path(result_dir: Path, inputs: dict[str, Any], key: str) -> Path | None:
    """Where input ``key`` of a result is now: inside the result (relative path), or an absolute
    path recorded by an older build; ``None`` when it is not a readable file."""
    value = inputs.get(key)
    if not value:
        return None
    path = Path(str(value))
    if not path.is_absolute():
        path = Path(result_dir) / path
    return path if path.is_file() else None
