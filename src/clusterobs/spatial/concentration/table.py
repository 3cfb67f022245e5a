"""All concentration indices per cluster, and Krugman specialisation per region, for a result.

Per cluster (cluster-level rows, sub-clusters excluded) and year, over the regions of one type:
Ellison-Glaeser and Maurel-Sedillot gamma, the Herfindahl and Gini of the regional shares, the
locational Gini, and the plant Herfindahl they use. Aggregate employment ``x_j`` is each region's
all-industry total (``region_year.employment``). The mapping results carry employment and
establishment counts per region but no plant sizes, so the plant Herfindahl is the
``equal_within_region`` approximation (:mod:`.plant_herfindahl`; a lower bound, the gammas are
upper bounds), unless establishment size classes are given (``size_classes``: region, cluster,
class columns ``n1_4 .. n1000``).

Absent cluster rows follow :mod:`clusterobs.spatial.results`: zero for County Business Patterns,
otherwise the region is left out of that cluster's indices (counted in ``regions_without_data``).

Per region: Krugman specialisation of its cluster employment mix against the nation's (all
clusters at cluster level, traded and local).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from clusterobs.spatial.concentration import plant_herfindahl
from clusterobs.spatial.concentration.ellison_glaeser import EllisonGlaeser
from clusterobs.spatial.concentration.gini import Gini, LocationalGini
from clusterobs.spatial.concentration.herfindahl import Herfindahl
from clusterobs.spatial.concentration.krugman import KrugmanSpecialisation
from clusterobs.spatial.concentration.maurel_sedillot import MaurelSedillot
from clusterobs.spatial.results import (
    _source,
    read_manifest,
    result_region_types,
    result_years,
)

COLUMNS = [
    "cluster_code",
    "cluster_name",
    "traded",
    "year",
    "regions",
    "regions_with_employment",
    "regions_without_data",
    "employment",
    "establishments",
    "eg_gamma",
    "eg_G",
    "ms_gamma",
    "ms_G",
    "plant_herfindahl",
    "plant_herfindahl_method",
    "herfindahl",
    "herfindahl_normalised",
    "gini",
    "gini_normalised",
    "locational_gini",
]


def _frames(result_dir: Path, region_type: str, year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cluster-level rows (``cluster_code, cluster_name, traded, region_code, employment,
    establishments``) and region totals (``region_code, total``) of one type and year."""
    con = duckdb.connect(":memory:", config={"threads": 2})
    try:
        cry = con.execute(
            "SELECT cluster_code, any_value(cluster_name) cluster_name, bool_or(traded) traded, "
            "region_code, sum(employment) employment, sum(establishments) establishments "
            "FROM read_parquet(?, union_by_name = true) WHERE region_type = ? AND year = ? "
            "AND subcluster_code IS NULL GROUP BY cluster_code, region_code",
            [_source(result_dir, "cluster_region_year.parquet"), region_type, year],
        ).df()
        ry = con.execute(
            "SELECT region_code, employment AS total FROM read_parquet(?) "
            "WHERE region_type = ? AND year = ? ORDER BY region_code",
            [_source(result_dir, "region_year.parquet"), region_type, year],
        ).df()
    finally:
        con.close()
    return cry, ry


def cluster_concentration(
    result_dir: str | Path,
    *,
    year: int | None = None,
    region_type: str | None = None,
    absent_as_zero: bool | None = None,
    size_classes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per cluster (columns ``COLUMNS``), sorted by EG gamma, highest first."""
    path = Path(result_dir)
    manifest = read_manifest(path)
    types = result_region_types(path)
    rt = region_type or types[0]
    if rt not in types:
        raise ValueError(f"no regions of type {rt!r} in {path.name}")
    years = result_years(path)
    year = years[-1] if year is None else int(year)
    if year not in years:
        raise ValueError(f"no year {year} in {path.name}")
    if absent_as_zero is None:
        absent_as_zero = (manifest.get("inputs") or {}).get("format") == "cbp"
    cry, ry = _frames(path, rt, year)
    long = cry.rename(columns={"cluster_code": "industry_code", "cluster_name": "industry_name"})
    out = concentration_by_industry(
        long, ry, absent_as_zero=absent_as_zero, size_classes=size_classes
    )
    out = out.rename(columns={"industry_code": "cluster_code", "industry_name": "cluster_name"})
    out.insert(3, "year", year)
    return out[COLUMNS]


def concentration_by_industry(
    rows: pd.DataFrame,
    totals: pd.DataFrame,
    *,
    absent_as_zero: bool = True,
    size_classes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The indices per industry of a long table.

    ``rows``: ``industry_code, region_code, employment`` and optionally ``establishments``,
    ``industry_name``, ``traded``; ``totals``: ``region_code, total`` (aggregate employment of
    every region; regions with no or zero total are left out). ``size_classes``: rows
    ``industry_code`` (or ``cluster_code``) with CBP size-class columns ``n1_4 .. n1000``.
    """
    rows = rows.copy()
    for col, default in (("establishments", np.nan), ("industry_name", None), ("traded", None)):
        if col not in rows.columns:
            rows[col] = default
    totals = totals[totals["total"].notna() & (totals["total"] > 0)]
    t_all = totals.set_index("region_code")["total"].astype("float64")
    out = []
    for code, g in rows.groupby("industry_code", sort=True):
        g = g.groupby("region_code").agg(
            employment=("employment", "sum"),
            establishments=("establishments", lambda s: s.sum(min_count=1)),
            industry_name=("industry_name", "first"),
            traded=("traded", "first"),
        )
        name, traded = g["industry_name"].dropna(), g["traded"].dropna()
        g = g.reindex(t_all.index)
        without = int(g["employment"].isna().sum())
        if absent_as_zero:
            g["employment"] = g["employment"].fillna(0.0)
            g["establishments"] = g["establishments"].where(g["employment"] > 0, 0.0)
            without = 0
        have = g["employment"].notna().to_numpy()
        e = g.loc[have, "employment"].to_numpy(dtype="float64")
        t = t_all[have].to_numpy(dtype="float64")
        est = g.loc[have, "establishments"].to_numpy(dtype="float64")
        row = {
            "industry_code": str(code),
            "industry_name": name.iloc[0] if len(name) else None,
            "traded": bool(traded.iloc[0]) if len(traded) else None,
            "regions": int(have.sum()),
            "regions_with_employment": int((e > 0).sum()),
            "regions_without_data": without,
            "employment": float(e.sum()),
            "establishments": float(np.nansum(est)) if np.isfinite(est).any() else None,
        }
        row.update(_indices(e, t, est, _size_classes_for(size_classes, str(code))))
        out.append(row)
    cols = ["industry_code", "industry_name", "traded", *COLUMNS[4:]]
    df = pd.DataFrame(out, columns=cols)
    return df.sort_values("eg_gamma", ascending=False, na_position="last").reset_index(drop=True)


def _size_classes_for(size_classes: pd.DataFrame | None, cluster: str) -> dict[str, Any] | None:
    if size_classes is None:
        return None
    key = "industry_code" if "industry_code" in size_classes.columns else "cluster_code"
    sub = size_classes[size_classes[key].astype(str) == cluster]
    if sub.empty:
        return None
    cols = [c for c in plant_herfindahl.CBP_SIZE_CLASSES if c in sub.columns]
    return {c: float(sub[c].sum()) for c in cols}


def _indices(
    e: np.ndarray, t: np.ndarray, est: np.ndarray, classes: dict[str, Any] | None
) -> dict[str, Any]:
    out: dict[str, Any] = dict.fromkeys(COLUMNS[9:], None)
    if e.sum() <= 0 or len(e) < 2:
        return out
    h = Herfindahl(e)
    g = Gini(e)
    out.update(
        herfindahl=h.H,
        herfindahl_normalised=h.H_normalised,
        gini=g.G,
        gini_normalised=g.G_normalised,
        locational_gini=LocationalGini(e, t).G,
    )
    try:
        if classes:
            ph, method = plant_herfindahl.from_size_classes(classes), "size_classes"
        else:
            ph = plant_herfindahl.equal_within_region(e, est)
            method = "equal_within_region"
    except ValueError:
        return out  # establishments unknown where there is employment: no plant Herfindahl
    out["plant_herfindahl"] = ph
    out["plant_herfindahl_method"] = method
    if ph < 1:
        eg = EllisonGlaeser(e, t, plant_herfindahl=ph, H_method=method)
        ms = MaurelSedillot(e, t, plant_herfindahl=ph, H_method=method)
        out.update(eg_gamma=eg.gamma, eg_G=eg.G, ms_gamma=ms.gamma, ms_G=ms.G)
    return out


def regional_specialisation(
    result_dir: str | Path, *, year: int | None = None, region_type: str | None = None
) -> pd.DataFrame:
    """Krugman specialisation of every region's cluster mix against the nation's mix."""
    path = Path(result_dir)
    types = result_region_types(path)
    rt = region_type or types[0]
    years = result_years(path)
    year = years[-1] if year is None else int(year)
    cry, _ = _frames(path, rt, year)
    wide = cry.pivot_table(
        index="region_code", columns="cluster_code", values="employment", aggfunc="sum"
    ).fillna(0.0)
    nation = wide.sum(axis=0)
    rows = []
    for region, vec in wide.iterrows():
        if vec.sum() <= 0:
            continue
        k = KrugmanSpecialisation(vec.to_numpy(), nation.to_numpy())
        top = (vec / vec.sum() - nation / nation.sum()).sort_values(ascending=False)
        rows.append(
            {
                "region_code": str(region),
                "year": year,
                "krugman": k.K,
                "clusters": int((vec > 0).sum()),
                "most_over_represented": str(top.index[0]),
            }
        )
    out = pd.DataFrame(rows)
    return out.sort_values("krugman", ascending=False).reset_index(drop=True)
