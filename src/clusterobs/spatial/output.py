"""Write spatial results to a directory (CSV, GeoJSON, JSON), all or nothing, and publish Kd
results where the observatory reads them.

Every directory has ``summary.json`` naming the inputs, conventions, seed and timings; tables are
CSV (UTF-8, header, missing values empty). Writing goes to a temporary sibling renamed into place,
so an interrupted run never leaves half a result.

Layouts:

* hot spots: ``regions.csv`` (value, LISA, Gi*, cluster id per region), ``clusters.csv``,
  ``hotspots.geojson`` (regions with those properties: the map layer), ``clusters.geojson`` (each
  cross-border cluster dissolved into one outline), ``summary.json``;
* concentration: ``clusters.csv`` (indices per cluster or industry), ``regions.csv`` (Krugman
  specialisation), ``summary.json``;
* Kd: ``kd.csv`` (r, Kd, simulated mean, local and global bands; M columns when computed),
  ``industry_codes.csv`` (matched codes and vintages), ``summary.json``. Published Kd results live
  in ``<data dir>/spatial/kd/<name>/``.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from clusterobs.tables.atomic import write_directory

if TYPE_CHECKING:
    from clusterobs.spatial.boundaries import RegionGeometries
    from clusterobs.spatial.hotspots import HotSpotAnalysis
    from clusterobs.spatial.points.industries import IndustryMatch
    from clusterobs.spatial.points.kd import DurantonOverman
    from clusterobs.spatial.points.mfunction import MarconPuech

KD_FILE, SUMMARY = "kd.csv", "summary.json"


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def dump_json(data: dict[str, Any]) -> str:
    return json.dumps(_clean(data), indent=2, ensure_ascii=False, allow_nan=False)


def write_hotspots(
    analysis: HotSpotAnalysis, regions: RegionGeometries, out: Path, meta: dict[str, Any]
) -> Path:
    """``analysis``: a :class:`~clusterobs.spatial.hotspots.HotSpotAnalysis`; ``regions`` its
    :class:`~clusterobs.spatial.boundaries.RegionGeometries`."""
    import shapely
    from shapely.geometry import mapping

    rows = analysis.region_rows()
    clusters = [c.as_dict() for c in analysis.clusters]

    def write(tmp: Path) -> None:
        pd.DataFrame(rows).to_csv(tmp / "regions.csv", index=False)
        flat = [
            {
                **{k: v for k, v in c.items() if k not in ("members", "member_names", "shares")},
                "members": ";".join(c["members"]),
                "member_names": ";".join(c["member_names"]),
                "shares": ";".join(f"{k}:{v:.6f}" for k, v in c["shares"].items()),
            }
            for c in clusters
        ]
        cols = [
            "cluster_id",
            "name",
            "regions",
            "cross_border",
            "members",
            "member_names",
            "employment",
            "lq_total",
            "lq_traded_local",
            "mean_value",
            "shares",
        ]
        pd.DataFrame(flat, columns=cols).to_csv(tmp / "clusters.csv", index=False)
        by_code = {r["region_code"]: r for r in rows}
        feats = [
            {
                "type": "Feature",
                "id": code,
                "properties": _clean(by_code[code]),
                "geometry": mapping(regions.geometries[i]),
            }
            for i, code in enumerate(regions.codes)
            if code in by_code
        ]
        (tmp / "hotspots.geojson").write_text(
            dump_json({"type": "FeatureCollection", "features": feats})
        )
        index = {c: i for i, c in enumerate(regions.codes)}
        outlines = []
        for c in clusters:
            geom = shapely.union_all(
                [shapely.make_valid(regions.geometries[index[m]]) for m in c["members"]]
            )
            props = {k: v for k, v in c.items() if k != "shares"}
            outlines.append(
                {"type": "Feature", "properties": _clean(props), "geometry": mapping(geom)}
            )
        (tmp / "clusters.geojson").write_text(
            dump_json({"type": "FeatureCollection", "features": outlines})
        )
        summary = {**meta, **analysis.summary(), "clusters": clusters}
        (tmp / SUMMARY).write_text(dump_json(summary))

    return write_directory(out, write)


def write_concentration(
    clusters: pd.DataFrame, regions: pd.DataFrame | None, out: Path, meta: dict[str, Any]
) -> Path:
    def write(tmp: Path) -> None:
        clusters.to_csv(tmp / "clusters.csv", index=False)
        if regions is not None:
            regions.to_csv(tmp / "regions.csv", index=False)
        (tmp / SUMMARY).write_text(dump_json(meta))

    return write_directory(out, write)


def kd_table(kd: DurantonOverman, m: MarconPuech | None = None) -> pd.DataFrame:
    """The curve and its bands as one table (``kd``: DurantonOverman, ``m``: MarconPuech)."""
    df = pd.DataFrame(
        {
            "r_km": kd.r,
            "kd": kd.kd,
            "sim_mean": kd.mean,
            "local_lo": kd.local_lo,
            "local_hi": kd.local_hi,
            "global_lo": kd.global_lo,
            "global_hi": kd.global_hi,
        }
    )
    if m is not None:
        df["m"] = m.m
        df["m_sim_mean"] = m.mean
        df["m_local_lo"], df["m_local_hi"] = m.local_lo, m.local_hi
        df["m_global_lo"], df["m_global_hi"] = m.global_lo, m.global_hi
    return df


def write_kd(
    kd: DurantonOverman,
    match: IndustryMatch,
    out: Path,
    meta: dict[str, Any],
    m: MarconPuech | None = None,
) -> Path:
    def write(tmp: Path) -> None:
        kd_table(kd, m).to_csv(tmp / KD_FILE, index=False, float_format="%.10g")
        match.codes.to_csv(tmp / "industry_codes.csv", index=False)
        summary = {
            **meta,
            "industry": match.report(),
            "kd": kd.summary(),
            "m": m.summary() if m is not None else None,
        }
        (tmp / SUMMARY).write_text(dump_json(summary))

    return write_directory(out, write)


def publish(out: Path, root: Path, name: str) -> Path:
    """Copy a written result directory to ``root/name`` (replacing an earlier one)."""
    if not name or name.startswith(".") or "/" in name or "\\" in name:
        raise ValueError(f"invalid result name {name!r}")
    return write_directory(root / name, lambda tmp: shutil.copytree(out, tmp, dirs_exist_ok=True))


def read_kd(directory: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A published Kd result: its table and summary."""
    directory = Path(directory)
    table = pd.read_csv(directory / KD_FILE)
    return table, json.loads((directory / SUMMARY).read_text())
