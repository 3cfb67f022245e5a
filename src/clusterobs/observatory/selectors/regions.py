"""The region dashboard: summary, time line and cluster portfolio of one region."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clusterobs.observatory.measure import relabel
from clusterobs.observatory.selectors.caching import DB_TTL, region_name, region_names
from clusterobs.observatory.selectors.glossary import FIELDS
from clusterobs.observatory.selectors.maths import add_status, cagr, records, to_python
from clusterobs.observatory.selectors.registry_queries import registry_in_region, sub_regions
from clusterobs.observatory.selectors.results import (
    as_table,
    change_table,
    cluster_level,
    coverage_notes,
    dataset_info,
    growth_start_year,
    region_year,
    result_year,
)
from clusterobs.observatory.store import ResultsStore


def region_list(store: ResultsStore, region_type: str | None = None) -> list[dict[str, Any]]:
    rt = region_type or store.main_type
    names = region_names(store, rt)
    return [
        {"region_type": rt, "region_code": c, "name": names.get(c, c)}
        for c in store.region_codes(rt)
    ]


def region_exists(store: ResultsStore, region_type: str, code: str) -> bool:
    codes = store.memo(("codes", region_type), lambda: set(store.region_codes(region_type)))
    return code in codes


def region_summary(store: ResultsStore, region_type: str, code: str | None, year: int) -> dict:
    """Employment, establishments, wage, strength and growth of a region (or the nation)."""
    start = growth_start_year(store, year)
    ry = region_year(store, region_type)
    cl = cluster_level(store, region_type)
    if code is not None:
        ry = ry[ry["region_code"] == code]
        cl = cl[cl["region_code"] == code]
    by_year = ry.groupby("year")[["employment", "traded_employment", "local_employment"]].sum()
    c = cl.groupby("year")[
        ["establishments", "wage_payroll", "wage_employment", "employment_imputed"]
    ].sum()
    out: dict[str, Any] = {}
    for y in (start, year):
        e = by_year.loc[y] if y in by_year.index else None
        w = c.loc[y] if y in c.index else None
        out[y] = {
            "employment": to_python(e["employment"]) if e is not None else None,
            "traded_employment": to_python(e["traded_employment"]) if e is not None else None,
            "local_employment": to_python(e["local_employment"]) if e is not None else None,
            "establishments": to_python(w["establishments"]) if w is not None else None,
            "employment_imputed": to_python(w["employment_imputed"]) if w is not None else None,
            "wage": to_python(w["wage_payroll"] / w["wage_employment"])
            if w is not None and w["wage_employment"]
            else None,
        }
    s, e = out[start], out[year]
    n = year - start
    strength = ry[ry["year"] == year]["cluster_strength"]
    result = {
        **e,
        "traded_share": to_python(
            e["traded_employment"] / (e["traded_employment"] + e["local_employment"])
        )
        if e["traded_employment"] is not None and (e["traded_employment"] + e["local_employment"])
        else None,
        "cluster_strength": to_python(
            strength.iloc[0] if code is not None and len(strength) else None
        )
        if code is not None
        else to_python(strength.mean()),
        "employment_cagr": to_python(cagr(s["employment"], e["employment"], n)),
        "establishments_cagr": to_python(cagr(s["establishments"], e["establishments"], n)),
        "wage_cagr": to_python(cagr(s["wage"], e["wage"], n)),
        "start_year": start,
        "year": year,
    }
    return result


def _timeline(store: ResultsStore, region_type: str, code: str) -> list[dict[str, Any]]:
    ry = region_year(store, region_type)
    nat = ry.groupby("year")[["employment", "traded_employment"]].sum()
    mine = ry[ry["region_code"] == code].set_index("year").sort_index()
    rows = []
    base_r = mine["employment"].iloc[0] if len(mine) else None
    base_n = nat["employment"].iloc[0] if len(nat) else None
    for y, r in mine.iterrows():
        rows.append(
            {
                "year": int(y),
                "employment": to_python(r["employment"]),
                "traded_employment": to_python(r["traded_employment"]),
                "cluster_strength": to_python(r["cluster_strength"]),
                "national_employment": to_python(nat.loc[y, "employment"]),
                "employment_index": to_python(100 * r["employment"] / base_r) if base_r else None,
                "national_index": to_python(100 * nat.loc[y, "employment"] / base_n)
                if base_n
                else None,
            }
        )
    return rows


PORTFOLIO_COLUMNS = [
    "cluster_code",
    "cluster_name",
    "traded",
    "employment",
    "employment_reported",
    "employment_imputed",
    "employment_status",
    "establishments",
    "wage",
    "wage_status",
    "lq_traded_local",
    "lq_total",
    "national_share",
    "national_share_change",
    "emp_cagr",
    "job_creation",
    "strong",
    "strong10",
    "eco_stars",
    "employment_rank",
    "lq_rank",
]


def _clusters_in_region(
    store: ResultsStore, region_type: str, code: str, year: int
) -> pd.DataFrame:
    start = growth_start_year(store, year)
    cl = cluster_level(store, region_type)
    cl = cl[cl["region_code"] == code]
    now = cl[cl["year"] == year]
    then = cl[cl["year"] == start][["cluster_code", "national_share"]].rename(
        columns={"national_share": "share_start"}
    )
    df = now.merge(then, on="cluster_code", how="left")
    df["national_share_change"] = df["national_share"] - df["share_start"]
    ch = change_table(store, region_type, start, year)
    ch = ch[(ch["region_code"] == code) & ch["subcluster_code"].isna()][
        ["cluster_code", "emp_cagr", "job_creation"]
    ]
    df = df.merge(ch, on="cluster_code", how="left")
    if start == year:
        df["emp_cagr"] = np.nan
        df["job_creation"] = np.nan
    df = add_status(df)
    return df.sort_values("employment", ascending=False)[PORTFOLIO_COLUMNS]


def region_dashboard(
    store: ResultsStore, region_type: str, code: str, year: int | None = None
) -> dict[str, Any]:
    """Everything the region dashboard shows (the page and ``/api/observatory/regions/<code>/``)."""
    year = result_year(store, year)

    def compute() -> dict[str, Any]:
        clusters = _clusters_in_region(store, region_type, code, year)
        rows = records(clusters)
        traded = [r for r in rows if r["traded"]]
        top = sorted(traded, key=lambda r: -(r["employment"] or 0))[:10]
        portfolio = [
            {
                k: r[k]
                for k in (
                    "cluster_code",
                    "cluster_name",
                    "national_share",
                    "national_share_change",
                    "employment",
                    "employment_status",
                    "strong",
                )
            }
            for r in traded
            if r["employment"]
        ]
        return {
            "dataset": dataset_info(store),
            "region": {
                "region_type": region_type,
                "region_code": code,
                "name": region_name(store, region_type, code),
            },
            "year": year,
            "start_year": growth_start_year(store, year),
            "coverage_notes": coverage_notes(
                store, region_type, code, growth_start_year(store, year), year
            ),
            "summary": {
                "region": region_summary(store, region_type, code, year),
                "nation": region_summary(store, region_type, None, year),
            },
            "tables": {
                "top_clusters": as_table(top, PORTFOLIO_COLUMNS),
                "clusters": as_table(rows, PORTFOLIO_COLUMNS),
                "portfolio": as_table(portfolio),
                "timeline": as_table(_timeline(store, region_type, code)),
            },
            "fields": relabel(FIELDS, store.manifest),
        }

    data = store.memo(("region", region_type, code, year), compute)
    # Registry and sub-regions come from the database, which may change: kept one minute.
    db = store.memo(
        ("region-db", region_type, code),
        lambda: {
            "sub_regions": sub_regions(region_type, code),
            "registry": registry_in_region(region_type, code),
        },
        ttl=DB_TTL,
    )
    return {**data, **db}
