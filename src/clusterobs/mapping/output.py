"""Write a mapping result as Parquet plus ``manifest.json``, all or nothing, and publish it.

Files (the tables, the kept inputs and the manifest, written once) go into a temporary sibling
directory which replaces the target at the end, so a failed or killed run never leaves a
half-written result. Two targets:

* ``--out`` (the analyst's directory): the old result is renamed aside, the new one renamed in,
  the old one removed. A kill between the two renames leaves ``.NAME.old`` and no ``NAME``;
  the next write to that place puts the old result back first (:func:`recover`), so a result
  is never lost, and stale temporaries of killed runs are removed then too.
* the platform's store (``results_dir/NAME``, read by the observatory): ``NAME`` is a symbolic
  link to a version directory ``.versions/NAME.<id>``, replaced atomically (``os.replace`` of a
  new link), so a reader always finds a complete result. The previous version is kept until the
  next publication (a request in flight may still read it).
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import pandas as pd

from clusterobs.mapping.inputs import bundle_inputs
from clusterobs.mapping.result import MappingResult
from clusterobs.tables.atomic import write_directory
from clusterobs.tables.results import EngineTable

CLUSTER_REGION_YEAR = "cluster_region_year.parquet"
REGION_YEAR = "region_year.parquet"
CLUSTER_REGION_CHANGE = "cluster_region_change.parquet"
MANIFEST = "manifest.json"
VERSIONS = ".versions"
ROW_COUNTS = {
    CLUSTER_REGION_YEAR: "cluster_region_year",
    CLUSTER_REGION_CHANGE: "cluster_region_change",
}


def _frames(result: MappingResult) -> dict[str, pd.DataFrame | EngineTable]:
    frames: dict[str, pd.DataFrame | EngineTable] = {
        CLUSTER_REGION_YEAR: result.cluster_region_year_table,
        REGION_YEAR: result.region_year,
        CLUSTER_REGION_CHANGE: result.cluster_region_change_table,
        "unknown_industries.parquet": result.unknown_industries,
    }
    if result.related_clusters is not None:
        frames["related_clusters.parquet"] = result.related_clusters
    if result.colocation is not None:
        frames["colocation.parquet"] = result.colocation
    return frames


def write_result(result: MappingResult, out: Path, *, inputs: dict[str, Any] | None = None) -> Path:
    """Write atomically to ``out`` (replacing an earlier result there). ``inputs`` names the
    input files to keep inside the result (:func:`~clusterobs.mapping.inputs.bundle_inputs`)."""

    def write(tmp: Path) -> None:
        for name, frame in _frames(result).items():
            if isinstance(frame, EngineTable):
                rows = frame.write_parquet(tmp / name)  # streamed from the engine, part by part
                result.manifest.setdefault("rows", {})[ROW_COUNTS[name]] = rows
            else:
                frame.to_parquet(tmp / name, index=False)
        if inputs is not None:
            result.manifest["inputs"] = bundle_inputs(tmp, inputs)
        (tmp / MANIFEST).write_text(json.dumps(result.manifest, indent=2, default=str))

    return write_directory(out, write)


def _clean_versions(versions: Path, name: str, keep: set[Path]) -> None:
    for stale in versions.glob(f"{name}.*"):
        if stale.resolve() not in keep:
            shutil.rmtree(stale, ignore_errors=True)
    for stale in versions.glob(f".{name}.*"):
        shutil.rmtree(stale, ignore_errors=True)


def publish(out: Path, results_dir: Path, name: str) -> Path:
    """Copy a written result directory into the platform's store as ``results_dir/name`` (a
    link swapped atomically to the new version; see the module docstring)."""
    results_dir = Path(results_dir)
    versions = results_dir / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    link = results_dir / name
    previous = link.resolve() if link.is_symlink() else None
    _clean_versions(versions, name, {p for p in (previous,) if p is not None})
    version = versions / f"{name}.{uuid.uuid4().hex[:12]}"
    tmp = versions / f".{version.name}"
    shutil.copytree(out, tmp)
    tmp.rename(version)
    new_link = results_dir / f".{name}.link-{uuid.uuid4().hex[:8]}"
    os.symlink(Path(VERSIONS) / version.name, new_link)
    if link.exists() and not link.is_symlink():  # a result published by an older release
        shutil.rmtree(link)
    os.replace(new_link, link)
    return link
