"""Keep a result's input files inside the result directory, and check them when it is read.

Why: a published result must stand on its own. The observatory reads the cluster definition
(industry lists), the relatedness table (cluster numbering) and, for custom clusters, the
employment data long after the build, possibly on another machine or after the analyst's files
have moved. Paths to the analyst's files would break; copies inside the result do not. Copies,
not hard links: an analyst who later rewrites the original file in place would otherwise change
the "archived" input of every result built from it. The SHA-256 of each file is recorded so
that anyone can check a result was built from the data it names, and :func:`verify_inputs`
does so when a result is opened.
"""

from __future__ import annotations

import hashlib
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


def bundle_inputs(result_dir: Path, inputs: dict[str, Any]) -> dict[str, Any]:
    """Copy every input file named in ``inputs`` to ``result_dir/inputs/`` and return the
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
        shutil.copyfile(source, target)
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


def verify_inputs(result_dir: Path, inputs: dict[str, Any]) -> list[str]:
    """One message per input file whose checksum no longer matches the manifest (or that is
    gone); empty when every kept input is the file the result was built from."""
    problems = []
    for key, expected in (inputs.get("sha256") or {}).items():
        path = input_path(result_dir, inputs, key)
        if path is None:
            problems.append(f"input {key} ({inputs.get(key)}) is missing")
        elif sha256(path) != expected:
            problems.append(
                f"input {key} ({inputs.get(key)}) has changed since the build "
                f"(SHA-256 {expected[:12]}… expected)"
            )
    return problems
