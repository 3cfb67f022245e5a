"""Read one measure of a published mapping result (Parquet + manifest) for spatial statistics.

A *result* is the directory ``clusterobs mapping build --out DIR`` writes (``cluster_region_year``,
``region_year``, ``cluster_region_change``, ``manifest.json``). This module reads it with DuckDB,
without Django, so the CLI, notebooks and the observatory share it.

**Absent rows.** The engine writes no row for a cluster in a region without any establishment of
its industries. For County Business Patterns (the manifest's input format ``cbp``) the source lists
every establishment, so such a region's cluster employment is a known zero, and so are its
establishments, region share, national share and LQs; ``absent_as_zero`` defaults to that. For
other sources a missing row may be an unpublished cell, so absent rows stay missing and the region
leaves the analysis (reported in ``MeasureTable.missing``). Measures that are undefined at zero
employment (wages, growth rates) are never filled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd


def gettext_noop(message: str) -> str:
    """Marks a label for translation (Django's makemessages extracts ``gettext_noop``) without
    importing Django into the analytics core; the web layer translates it when shown."""
    return message


YEAR_MEASURES = (
    "lq_total",
    "lq_traded_local",
    "employment",
    "employment_reported",
    "establishments",
    "region_share",
    "national_share",
    "wage",
)
CHANGE_MEASURES = (
    "emp_cagr",
    "est_cagr",
    "wage_cagr",
    "job_creation",
    "lq_change",
    "lq_total_change",
)
#: Measures that are exactly zero where a cluster has no establishment (CBP semantics).
ZERO_WHEN_ABSENT = {
    "lq_total",
    "lq_traded_local",
    "employment",
    "employment_reported",
    "establishments",
    "region_share",
    "national_share",
}
MEASURE_LABELS = {
    "lq_total": gettext_noop("LQ (all industries)"),
    "lq_traded_local": gettext_noop("LQ (traded/local economy)"),
    "employment": gettext_noop("Employment"),
    "employment_reported": gettext_noop("Employment (reported cells only)"),
    "establishments": gettext_noop("Establishments"),
    "region_share": gettext_noop("Share of the region's employment"),
    "national_share": gettext_noop("Share of national cluster employment"),
    "wage": gettext_noop("Average wage"),
    "emp_cagr": gettext_noop("Employment growth (CAGR)"),
    "est_cagr": gettext_noop("Establishment growth (CAGR)"),
    "wage_cagr": gettext_noop("Wage growth (CAGR)"),
    "job_creation": gettext_noop("Job creation"),
    "lq_change": gettext_noop("LQ change (traded/local)"),
    "lq_total_change": gettext_noop("LQ change (all industries)"),
}
MEASURES = YEAR_MEASURES + CHANGE_MEASURES


@dataclass
class MeasureTable:
    """One measure per region for a cluster (or sub-cluster) and year, with the employment figures
    the cross-border clusters need (combined employment and LQ)."""

    dataset: str
    region_type: str
    year: int
    start_year: int | None
    cluster_code: str
    cluster_name: str
    subcluster_code: str | None
    measure: str
    traded: bool | None
    #: region_code, value, employment, region_total, reference_total (traded or local employment)
    frame: pd.DataFrame
    national: dict[str, float]
    missing: list[str] = field(default_factory=list)
    absent_as_zero: bool = False

    @property
    def codes(self) -> list[str]:
        return [str(c) for c in self.frame["region_code"]]

    @property
    def values(self) -> np.ndarray:
        return np.asarray(self.frame["value"].to_numpy(dtype="float64"))


def _source(path: Path, name: str) -> str | None:
    f = path / name
    if f.is_dir():
        return str(f / "**" / "*.parquet")
    return str(f) if f.exists() else None


def read_manifest(result_dir: Path) -> dict[str, Any]:
    path = Path(result_dir) / "manifest.json"
    if not path.exists():
        raise FileNotFoundError(f"{result_dir} is not a mapping result (no manifest.json)")
    manifest: dict[str, Any] = json.loads(path.read_text())
    return manifest


def _query(sql: str, params: list[Any]) -> pd.DataFrame:
    con = duckdb.connect(":memory:", config={"threads": 2})
    try:
        return con.execute(sql, params).df()
    finally:
        con.close()


def result_region_types(result_dir: Path) -> list[str]:
    src = _source(Path(result_dir), "region_year.parquet")
    df = _query(
        "SELECT region_type, count(DISTINCT region_code) n FROM read_parquet(?) "
        "WHERE region_type <> 'nation' GROUP BY 1 ORDER BY n DESC, 1",
        [src],
    )
    return [str(t) for t in df["region_type"]]


def result_years(result_dir: Path) -> list[int]:
    src = _source(Path(result_dir), "region_year.parquet")
    df = _query("SELECT DISTINCT year FROM read_parquet(?) ORDER BY 1", [src])
    return [int(y) for y in df["year"]]


def measure_values(
    result_dir: str | Path,
    *,
    cluster: str,
    measure: str = "lq_total",
    year: int | None = None,
    region_type: str | None = None,
    subcluster: str | None = None,
    start_year: int | None = None,
    absent_as_zero: bool | None = None,
) -> MeasureTable:
    """The measure per region of ``region_type`` (default: the result's main type)."""
    path = Path(result_dir)
    manifest = read_manifest(path)
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; one of {', '.join(MEASURES)}")
    types = result_region_types(path)
    rt = region_type or (types[0] if types else None)
    if rt not in types:
        raise ValueError(f"no regions of type {rt!r} in {path.name} (types: {', '.join(types)})")
    years = result_years(path)
    year = years[-1] if year is None else int(year)
    if year not in years:
        raise ValueError(f"no year {year} in {path.name} (years: {', '.join(map(str, years))})")
    if absent_as_zero is None:
        absent_as_zero = (manifest.get("inputs") or {}).get("format") == "cbp"
    cry = _source(path, "cluster_region_year.parquet")
    sub_sql = "subcluster_code = ?" if subcluster else "subcluster_code IS NULL"
    params: list[Any] = [cry, rt, year, cluster] + ([subcluster] if subcluster else [])
    rows = _query(
        "SELECT region_code, employment, region_total, traded_employment, local_employment, "
        "national_employment, national_total, national_traded, national_local, traded, "
        f"cluster_name, {measure if measure in YEAR_MEASURES else 'NULL'} AS value "
        "FROM read_parquet(?, union_by_name = true) "
        f"WHERE region_type = ? AND year = ? AND cluster_code = ? AND {sub_sql}",
        params,
    )
    if rows.empty:
        raise ValueError(f"no rows for cluster {cluster!r} in {year} ({rt}) in {path.name}")
    if measure in CHANGE_MEASURES:
        start = years[0] if start_year is None else int(start_year)
        if start >= year:
            raise ValueError(f"a change measure needs a start year before {year}")
        change = _query(
            f"SELECT region_code, {measure} AS value FROM read_parquet(?, union_by_name = true) "
            f"WHERE region_type = ? AND start_year = ? AND end_year = ? AND cluster_code = ? "
            f"AND {sub_sql}",
            [_source(path, "cluster_region_change.parquet"), rt, start, year, cluster]
            + ([subcluster] if subcluster else []),
        )
        rows = rows.drop(columns="value").merge(change, on="region_code", how="left")
    else:
        start = None
    ry = _query(
        "SELECT region_code, employment AS region_total_ry, traded_employment AS traded_ry, "
        "local_employment AS local_ry FROM read_parquet(?) WHERE region_type = ? AND year = ?",
        [_source(path, "region_year.parquet"), rt, year],
    )
    traded = bool(rows["traded"].dropna().iloc[0]) if rows["traded"].notna().any() else None
    df = ry.merge(rows, on="region_code", how="left")
    absent = df["employment"].isna()
    if absent_as_zero:
        df.loc[absent, "employment"] = 0.0
        if measure in ZERO_WHEN_ABSENT:
            df.loc[absent, "value"] = 0.0
    df["region_total"] = df["region_total"].fillna(df["region_total_ry"])
    ref = df["traded_ry"] if traded else df["local_ry"]
    df["reference_total"] = ref
    first = rows.iloc[0]
    national = {
        "employment": float(first["national_employment"]),
        "total": float(first["national_total"]),
        "reference_total": float(first["national_traded" if traded else "national_local"]),
    }
    df["value"] = pd.to_numeric(df["value"], errors="coerce").astype("float64")
    missing = df.loc[df["value"].isna(), "region_code"].astype(str).tolist()
    df = df[df["value"].notna()].sort_values("region_code").reset_index(drop=True)
    frame = df[["region_code", "value", "employment", "region_total", "reference_total"]].copy()
    frame["region_code"] = frame["region_code"].astype(str)
    return MeasureTable(
        dataset=path.name,
        region_type=rt,
        year=year,
        start_year=start,
        cluster_code=cluster,
        cluster_name=str(first["cluster_name"]),
        subcluster_code=subcluster,
        measure=measure,
        traded=traded,
        frame=frame,
        national=national,
        missing=sorted(missing),
        absent_as_zero=bool(absent_as_zero),
    )
