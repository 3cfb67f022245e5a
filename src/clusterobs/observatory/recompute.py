"""Recompute every measure for a union of regions (custom regions), without Django.

All published measures are built from sums (employment, reported and imputed employment,
establishments, payroll, traded/local and all-industry totals), so the union's cells are the sums
of its members' cells; the national figures do not change. The union then *replaces* its members
among the regions of their type and the engine's own expressions
(:func:`~clusterobs.mapping.cell_measures.measure_cells`,
:func:`~clusterobs.mapping.strength.cluster_strength`, run on an embedded DuckDB) recompute LQs,
strength flags, stars and ranks, so the custom region is ranked against regions of a comparable
type with exactly the engine's conventions: there is no second implementation of a formula.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from clusterobs.definitions.model import DEFINITION_COLUMNS, validate_definition
from clusterobs.definitions.reader import load_definition
from clusterobs.mapping import service
from clusterobs.mapping.cell_measures import measure_cells
from clusterobs.mapping.result import CRT_DTYPES, MappingOptions
from clusterobs.mapping.strength import cluster_strength
from clusterobs.sources.readers import SourceSpec
from clusterobs.tables.engine import connect

SUMS = [
    "employment",
    "employment_reported",
    "employment_imputed",
    "suppressed_cells",
    "establishments",
    "wage_payroll",
    "wage_employment",
]
REGION_SUMS = ["region_total", "traded_employment", "local_employment"]
KEYS = ["year", "cluster_code", "subcluster_code", "traded"]


def union_measures(
    cry: pd.DataFrame,
    ry: pd.DataFrame,
    members: list[str],
    *,
    code: str = "custom",
    progress: Callable[[float, str], None] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(cluster rows, region_year rows)`` of the union of ``members``, ranked among the
    non-member regions of the same type. ``cry``/``ry``: every row of one region type."""
    t0 = time.perf_counter()
    say = progress or (lambda _f, _m: None)
    missing = sorted(set(members) - set(ry["region_code"]))
    if missing:
        raise ValueError(f"unknown region codes: {', '.join(missing)}")
    region_type = str(ry["region_type"].iloc[0])
    say(0.1, "summing member regions")
    inside = cry["region_code"].isin(members)
    m = cry[inside]
    sub = m["subcluster_code"].fillna("")
    agg = m.assign(subcluster_code=sub).groupby(KEYS, dropna=False)[SUMS].sum().reset_index()
    firsts = (
        m.assign(subcluster_code=sub)
        .groupby(KEYS, dropna=False)[
            [
                "national_employment",
                "national_total",
                "national_traded",
                "national_local",
                "cluster_name",
                "subcluster_name",
            ]
        ]
        .first()
        .reset_index()
    )
    agg = agg.merge(firsts, on=KEYS)
    agg["subcluster_code"] = agg["subcluster_code"].replace("", pd.NA).astype("string")
    # Region totals: one value per member and year (repeated on every cluster row).
    rt = (
        m[m["subcluster_code"].isna()]
        .groupby(["region_code", "year"])[REGION_SUMS]
        .first()
        .groupby("year")
        .sum()
        .reset_index()
    )
    agg = agg.merge(rt, on="year", how="left")
    agg["region_code"] = code
    agg["region_type"] = region_type
    say(0.4, "recomputing location quotients, flags, stars and ranks")
    df = _measured(pd.concat([cry[~inside], agg], ignore_index=True))
    df["peer_regions"] = df.groupby(["year", "cluster_code", "subcluster_code"], dropna=False)[
        "employment"
    ].transform(lambda s: int((s > 0).sum()))
    say(0.85, "cluster strength")
    ry2 = pd.concat(
        [
            ry[~ry["region_code"].isin(members)],
            ry[ry["region_code"].isin(members)]
            .groupby("year")[["employment", "traded_employment", "local_employment"]]
            .sum()
            .reset_index()
            .assign(region_code=code, region_type=region_type),
        ],
        ignore_index=True,
    )
    ry2 = _with_cluster_strength(ry2.drop(columns="cluster_strength", errors="ignore"), df)
    ry2["strength_rank"] = ry2.groupby("year")["cluster_strength"].rank(
        method="min", ascending=False
    )
    mine = df[df["region_code"] == code]
    say(1.0, f"done in {time.perf_counter() - t0:.2f} s")
    return mine.reset_index(drop=True), ry2[ry2["region_code"] == code].reset_index(drop=True)


def _keyed(df: pd.DataFrame) -> pd.DataFrame:
    """The engine's integer keys: ``r`` (region), ``rt`` (one region type here), ``k`` (cell)."""
    df = df.reset_index(drop=True)
    df["r"] = pd.factorize(df["region_code"])[0].astype("int64")
    df["rt"] = 0
    cell = df["cluster_code"].astype(str) + "\x1f" + df["subcluster_code"].fillna("").astype(str)
    df["k"] = pd.factorize(cell)[0].astype("int64")
    return df


def _measured(cells: pd.DataFrame) -> pd.DataFrame:
    """Every measure of the cells through the engine's own expressions
    (:func:`~clusterobs.mapping.cell_measures.measure_cells`)."""
    inputs = [
        "region_code", "region_type", "year", "cluster_code", "subcluster_code", "traded",
        *SUMS, *REGION_SUMS, "national_employment", "national_total", "national_traded",
        "national_local", "cluster_name", "subcluster_name",
    ]  # fmt: skip
    keyed = _keyed(cells[inputs])
    engine = connect()
    measured = engine.to_pandas(measure_cells(engine.table(keyed, "custom")))
    measured = measured.drop(columns=["r", "rt", "k"])
    for col, dtype in CRT_DTYPES.items():
        if col in measured.columns:
            measured[col] = measured[col].astype(dtype)
    return measured


def _with_cluster_strength(region_rows: pd.DataFrame, measured: pd.DataFrame) -> pd.DataFrame:
    """``cluster_strength`` of each region row (:func:`~clusterobs.mapping.strength.
    cluster_strength`) from the flagged cluster-level rows."""
    engine = connect()
    rows = measured[measured["subcluster_code"].isna()]
    rows = rows.assign(r=rows["region_code"], year=rows["year"].astype("int64"))
    regions = region_rows.assign(r=region_rows["region_code"])
    out = engine.to_pandas(
        cluster_strength(
            engine.table(rows[["r", "year", "traded", "strong", "employment"]], "flags"),
            engine.table(regions[["r", "year", "traded_employment"]], "regions"),
        )
    )
    out["year"] = out["year"].astype("int64")
    merged = region_rows.merge(
        out[["r", "year", "cluster_strength"]].rename(columns={"r": "region_code"}),
        on=["region_code", "year"],
        how="left",
    )
    merged["cluster_strength"] = merged["cluster_strength"].astype("float64")
    return merged


CUSTOM_CODE = "custom"


def custom_cluster_measures(
    *,
    source: SourceSpec,
    definitions: str,
    classification: str,
    industries: list[str],
    name: str,
    years: tuple[int, int],
    classifications_dir: str | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> pd.DataFrame:
    """Rebuild the result with the user's industries moved into one extra traded cluster.

    The custom cluster's industries leave their published clusters, so traded and local totals
    (the LQ denominators) stay those of the published definition and the new cluster is compared
    with the same regions, percentiles and flags as every other cluster. ``source``: the input the
    result was built from (kept in the result, its format recorded in the manifest). Returns the
    custom cluster's rows (every region and year).
    """
    say = progress or (lambda _f, _m: None)
    say(0.05, "reading the cluster definition")
    base = load_definition(definitions, classification).table
    known = set(base["industry_code"])
    unknown = sorted(set(industries) - known)
    if unknown:
        raise ValueError(f"industries not in the definition: {', '.join(unknown)}")
    custom = pd.DataFrame(
        {
            "industry_code": sorted(set(industries)),
            "cluster_code": CUSTOM_CODE,
            "cluster_name": name,
            "subcluster_code": None,
            "subcluster_name": None,
            "traded_local": "traded",
        }
    )
    rest = base[~base["industry_code"].isin(industries)]
    table = pd.concat([rest[DEFINITION_COLUMNS], custom], ignore_index=True)
    definition = validate_definition(table, classification, "<custom cluster>")
    say(0.15, "rebuilding with the engine")
    steps = iter(np.linspace(0.2, 0.9, len(service.pipeline.STEPS) + 2))
    request = service.BuildRequest(
        source=source,
        definition=definition,
        # The published build accepted its definition's codes (listed in its manifest); the
        # custom cluster moves only codes of that definition.
        options=MappingOptions(years=years, subclusters=False, allow_unknown_codes=True),
        classifications_dir=Path(classifications_dir) if classifications_dir else None,
    )
    result = service.compute(
        request, progress=lambda step: say(float(next(steps, 0.9)), f"engine: {step}")
    )
    rows = result.cluster_region_year
    rows = rows[rows["cluster_code"] == CUSTOM_CODE].reset_index(drop=True)
    say(1.0, "done")
    return rows
