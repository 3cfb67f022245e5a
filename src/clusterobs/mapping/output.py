"""Write a mapping result as Parquet plus ``manifest.json``, all or nothing.

Files are written into a temporary sibling directory which is renamed into place at the end, so
a failed run never leaves a half-written result (and a previous result stays until replaced).
The web layer reads these Parquet files with DuckDB from ``results_dir/<name>``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from clusterobs.mapping.pipeline import MappingResult
from clusterobs.mapping.statistics import EngineTable

CLUSTER_REGION_YEAR = "cluster_region_year.parquet"
REGION_YEAR = "region_year.parquet"
CLUSTER_REGION_CHANGE = "cluster_region_change.parquet"
MANIFEST = "manifest.json"


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


def write_result(result: MappingResult, out: Path) -> Path:
    """Write atomically to ``out`` (replacing an earlier result there)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        counts = {CLUSTER_REGION_YEAR: "cluster_region_year"}
        counts[CLUSTER_REGION_CHANGE] = "cluster_region_change"
        for name, frame in _frames(result).items():
            if isinstance(frame, EngineTable):
                rows = frame.write_parquet(tmp / name)  # streamed from the engine, part by part
                result.manifest.setdefault("rows", {})[counts[name]] = rows
            else:
                frame.to_parquet(tmp / name, index=False)
        (tmp / MANIFEST).write_text(json.dumps(result.manifest, indent=2, default=str))
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            if old.exists():
                shutil.rmtree(old)
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def publish(out: Path, results_dir: Path, name: str) -> Path:
    """Copy a written result directory to the platform's store (``results_dir/name``)."""
    target = Path(results_dir) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=target.parent))
    shutil.rmtree(tmp)
    shutil.copytree(out, tmp)
    if target.exists():
        shutil.rmtree(target)
    tmp.rename(target)
    return target
