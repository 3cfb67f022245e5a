"""Recompute every measure for a union of regions (custom regions), without Django.

All published measures are built from sums (employment, reported and imputed employment,
establishments, payroll, traded/local and all-industry totals), so the union's cells are the sums
of its members' cells; the national figures do not change. The union then *replaces* its members
among the regions of their type and the engine's own functions (``add_shares_and_lqs``,
``add_strength_flags``, ``add_stars``, ``rank_percentile``, ``cluster_strength``) recompute LQs,
strength flags, stars and ranks, so the custom region is ranked against regions of a comparable
type with exactly the engine's conventions.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from clusterobs.mapping.lq import add_shares_and_lqs
from clusterobs.mapping.percentiles import rank_percentile
from clusterobs.mapping.stars import add_stars
from clusterobs.mapping.strength import add_strength_flags, cluster_strength

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
    say(0.4, "recomputing location quotients")
    others = cry[~inside]
    df = pd.concat([others, agg], ignore_index=True)
    df["region_traded_or_local"] = np.where(
        df["traded"], df["traded_employment"], df["local_employment"]
    )
    df["national_traded_or_local"] = np.where(
        df["traded"], df["national_traded"], df["national_local"]
    )
    df = add_shares_and_lqs(df)
    with np.errstate(divide="ignore", invalid="ignore"):
        df["wage"] = np.where(
            df["wage_employment"] > 0, df["wage_payroll"] / df["wage_employment"], np.nan
        )
    say(0.6, "strength flags and stars among peers")
    df = add_strength_flags(df)
    df = add_stars(df)
    df["employment_rank"], df["employment_percentile"] = rank_percentile(df, "employment")
    df["lq_rank"], df["lq_percentile"] = rank_percentile(df, "lq_traded_local")
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
    cl = df[df["subcluster_code"].isna()]
    ry2 = ry2.reset_index(drop=True)
    ry2["cluster_strength"] = cluster_strength(cl, ry2)
    ry2["strength_rank"] = ry2.groupby("year")["cluster_strength"].rank(
        method="min", ascending=False
    )
    mine = df[df["region_code"] == code].drop(
        columns=["region_traded_or_local", "national_traded_or_local"]
    )
    say(1.0, f"done in {time.perf_counter() - t0:.2f} s")
    return mine.reset_index(drop=True), ry2[ry2["region_code"] == code].reset_index(drop=True)


CUSTOM_CODE = "custom"


def custom_cluster_measures(
    *,
    employment: str,
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
    with the same regions, percentiles and flags as every other cluster. Needs the CBP input the
    result was built from (recorded by the CLI in the manifest). Returns the custom cluster's rows
    (every region and year).
    """
    from clusterobs.classifications.store import ClassificationStore
    from clusterobs.definitions.model import (
        DEFINITION_COLUMNS,
        load_definition,
        validate_definition,
    )
    from clusterobs.mapping import pipeline
    from clusterobs.mapping.engine import connect
    from clusterobs.sources.cbp import read_cbp

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
    try:
        store = ClassificationStore.load(classifications_dir)
    except FileNotFoundError:
        store = ClassificationStore.empty()
    say(0.15, "rebuilding with the engine")
    eng = connect()
    steps = iter(np.linspace(0.2, 0.9, len(pipeline.STEPS) + 2))
    result = pipeline.build(
        read_cbp(eng, employment),
        definition,
        engine=eng,
        store=store,
        options=pipeline.MappingOptions(years=years, subclusters=False),
        progress=lambda step: say(float(next(steps, 0.9)), f"engine: {step}"),
    )
    rows = result.cluster_region_year
    rows = rows[rows["cluster_code"] == CUSTOM_CODE].reset_index(drop=True)
    say(1.0, "done")
    return rows
