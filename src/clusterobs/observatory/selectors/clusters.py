"""The cluster dashboard and the region-cluster view."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clusterobs.observatory.measure import relabel
from clusterobs.observatory.selectors.caching import (
    DB_TTL,
    cluster_names,
    region_name,
    region_names,
)
from clusterobs.observatory.selectors.glossary import FIELDS
from clusterobs.observatory.selectors.maths import add_status, records
from clusterobs.observatory.selectors.registry_queries import registry_for_cluster
from clusterobs.observatory.selectors.results import (
    as_table,
    change_table,
    cluster_level,
    dataset_info,
    growth_start_year,
    national_clusters,
    result_year,
)
from clusterobs.observatory.store import ResultsStore


def cluster_exists(store: ResultsStore, cluster: str) -> bool:
    return bool((store.clusters["cluster_code"] == cluster).any())


def cluster_list(store: ResultsStore) -> list[dict[str, Any]]:
    return records(store.clusters)


def _relatedness_code_map(store: ResultsStore) -> dict[str, str] | None:
    """Relatedness-table code -> result cluster code, matched by cluster *name*.

    The published relatedness table numbers clusters like the 2014+ U.S. Cluster Mapping
    definitions; other definitions (e.g. the NAICS 2007 web file, where 1 is "Aerospace
    Engines", not "Aerospace Vehicles and Defense") number them differently, so codes alone would
    link the wrong clusters. With the table's names (manifest input) clusters are matched by name
    and unmatched ones are left out; without it, codes are used as they are (``None``).
    """

    def compute() -> dict[str, str] | None:
        path = store.input_path("relatedness")
        if path is None:
            return None
        rel = pd.read_csv(path, dtype=str, usecols=["cluster_code", "cluster_name"])
        by_name = {str(n).strip().lower(): c for c, n in cluster_names(store).items()}
        out = {}
        for code, name in rel.drop_duplicates().itertuples(index=False):
            hit = by_name.get(str(name).strip().lower())
            if hit is not None:
                out[str(code)] = hit
        return out

    return store.memo(("relmap",), compute)


def _uscmp_codes(store: ResultsStore, cluster: str) -> list[str]:
    """The registry's U.S. Cluster Mapping codes of a result cluster: the relatedness table uses
    the registry's numbering, so its name match translates codes; without it, the code itself."""
    code_map = _relatedness_code_map(store)
    if code_map is None:
        return [cluster]
    return [k for k, v in code_map.items() if v == cluster]


def _related(
    store: ResultsStore, cluster: str, region_type: str, focus: str | None, year: int
) -> dict[str, Any]:
    names = cluster_names(store)
    nodes: dict[str, dict[str, Any]] = {}
    links: list[dict[str, Any]] = []
    code_map = _relatedness_code_map(store)
    inverse = {v: k for k, v in (code_map or {}).items()}
    if store.has("related") and (code_map is None or cluster in inverse):
        key = inverse.get(cluster, cluster)
        rel = store.query(
            "SELECT * FROM related WHERE cluster_code = ? OR related_cluster_code = ?",
            [key, key],
        )
        seen = set()
        for r in rel.itertuples():
            other = r.related_cluster_code if r.cluster_code == key else r.cluster_code
            other = code_map.get(other) if code_map is not None else other
            if other is None or other in seen or other not in names or other == cluster:
                continue
            seen.add(other)
            links.append({"source": cluster, "target": other, "relatedness": r.relatedness})
    codes = [cluster, *[lk["target"] for lk in links]]
    strength: dict[str, dict[str, Any]] = {}
    if focus:
        cl = cluster_level(store, region_type)
        cl = cl[(cl["region_code"] == focus) & (cl["year"] == year)]
        strength = {
            r["cluster_code"]: r for r in records(cl[["cluster_code", "lq_traded_local", "strong"]])
        }
    for c in codes:
        s = strength.get(c, {})
        nodes[c] = {
            "cluster_code": c,
            "cluster_name": names.get(c, c),
            "lq_traded_local": s.get("lq_traded_local"),
            "strong": s.get("strong"),
        }
    matched = "name" if code_map is not None else "code"
    return {"nodes": list(nodes.values()), "links": links, "matched_by": matched}


REGION_COLUMNS = [
    "region_code",
    "name",
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
    "strong",
    "eco_stars",
    "emp_cagr",
    "job_creation",
    "employment_rank",
]


def cluster_regions(
    store: ResultsStore, cluster: str, region_type: str, year: int, subcluster: str | None = None
) -> pd.DataFrame:
    start = growth_start_year(store, year)
    if subcluster:
        rows = store.query(
            "SELECT * FROM cry WHERE region_type = ? AND cluster_code = ? AND subcluster_code = ? "
            "AND year = ?",
            [region_type, cluster, subcluster, year],
        )
    else:
        cl = cluster_level(store, region_type)
        rows = cl[(cl["cluster_code"] == cluster) & (cl["year"] == year)]
    ch = change_table(store, region_type, start, year)
    sub = ch["subcluster_code"] == subcluster if subcluster else ch["subcluster_code"].isna()
    ch = ch[(ch["cluster_code"] == cluster) & sub][["region_code", "emp_cagr", "job_creation"]]
    df = rows.merge(ch, on="region_code", how="left")
    if start == year:
        df["emp_cagr"] = np.nan
        df["job_creation"] = np.nan
    names = region_names(store, region_type)
    df["name"] = df["region_code"].map(lambda c: names.get(c, c))
    df = add_status(df)
    return df.sort_values("employment", ascending=False)[REGION_COLUMNS]


def cluster_dashboard(
    store: ResultsStore,
    cluster: str,
    region_type: str | None = None,
    year: int | None = None,
    focus: str | None = None,
) -> dict[str, Any]:
    """National trend, top regions, sub-clusters, related clusters, registry, industries."""
    rt = region_type or store.main_type
    year = result_year(store, year)

    def compute() -> dict[str, Any]:
        nat = national_clusters(store, rt)
        nat = nat[nat["cluster_code"] == cluster]
        trend = records(
            nat[["year", "national_employment", "employment_imputed", "establishments", "wage"]]
            .rename(columns={"national_employment": "employment"})
            .assign(strong_regions=nat["strong_regions"])
        )
        regions = records(cluster_regions(store, cluster, rt, year))
        subs = store.query(
            "SELECT subcluster_code, any_value(subcluster_name) subcluster_name, "
            "sum(employment) employment, sum(employment_imputed) employment_imputed, "
            "count(*) FILTER (WHERE strong) strong_regions "
            "FROM cry WHERE region_type = ? AND cluster_code = ? AND year = ? "
            "AND subcluster_code IS NOT NULL GROUP BY 1 ORDER BY employment DESC",
            [rt, cluster, year],
        )
        d = store.definition
        inds = d[d["cluster_code"] == cluster][
            ["industry_code", "industry_title", "subcluster_code"]
        ]
        meta = store.clusters[store.clusters["cluster_code"] == cluster]
        return {
            "dataset": dataset_info(store),
            "cluster": {
                "cluster_code": cluster,
                "cluster_name": meta["cluster_name"].iloc[0] if len(meta) else cluster,
                "traded": bool(meta["traded"].iloc[0]) if len(meta) else None,
            },
            "region_type": rt,
            "year": year,
            "start_year": growth_start_year(store, year),
            "tables": {
                "trend": as_table(trend),
                "top_regions": as_table(regions, REGION_COLUMNS),
                "subclusters": as_table(records(subs)),
                "industries": as_table(records(inds), list(inds.columns)),
            },
            "fields": relabel(FIELDS, store.manifest),
        }

    data = store.memo(("cluster", cluster, rt, year), compute)
    return {
        **data,
        "focus_region": focus,
        "related": store.memo(
            ("related", cluster, rt, focus, year), lambda: _related(store, cluster, rt, focus, year)
        ),
        "registry": store.memo(
            ("cluster-db", cluster),
            lambda: registry_for_cluster(
                cluster, data["cluster"]["cluster_name"], _uscmp_codes(store, cluster)
            ),
            ttl=DB_TTL,
        ),
    }


def region_cluster(
    store: ResultsStore, region_type: str, code: str, cluster: str, year: int | None = None
) -> dict[str, Any]:
    """One cluster in one region over time, its shift-share, wages against the nation."""
    year = result_year(store, year)

    def compute() -> dict[str, Any]:
        cl = cluster_level(store, region_type)
        mine = cl[(cl["region_code"] == code) & (cl["cluster_code"] == cluster)].sort_values("year")
        nat = national_clusters(store, region_type)
        nat = nat[nat["cluster_code"] == cluster][["year", "wage"]].rename(
            columns={"wage": "national_wage"}
        )
        t = add_status(mine).merge(nat, on="year", how="left")
        timeline = records(
            t[
                [
                    "year",
                    "employment",
                    "employment_reported",
                    "employment_imputed",
                    "employment_status",
                    "establishments",
                    "wage",
                    "wage_status",
                    "national_wage",
                    "national_employment",
                    "lq_traded_local",
                    "lq_total",
                    "national_share",
                    "strong",
                    "eco_stars",
                ]
            ]
        )
        ch = store.query(
            "SELECT start_year, end_year, employment_start, employment_end, job_creation, "
            "expected_job_creation, emp_cagr, ss_national_share, ss_industry_mix, "
            "ss_regional_share, wage_start, wage_end, lq_change FROM change "
            "WHERE region_type = ? AND region_code = ? AND cluster_code = ? "
            "AND subcluster_code IS NULL ORDER BY end_year - start_year > 1, start_year",
            [region_type, code, cluster],
        )
        subs = store.query(
            "SELECT subcluster_code, subcluster_name, employment, employment_reported, "
            "employment_imputed, lq_traded_local, strong FROM cry WHERE region_type = ? AND "
            "region_code = ? AND cluster_code = ? AND year = ? AND subcluster_code IS NOT NULL "
            "ORDER BY employment DESC",
            [region_type, code, cluster, year],
        )
        d = store.definition
        inds = d[d["cluster_code"] == cluster][
            ["industry_code", "industry_title", "subcluster_code"]
        ]
        meta = store.clusters[store.clusters["cluster_code"] == cluster]
        return {
            "dataset": dataset_info(store),
            "region": {
                "region_type": region_type,
                "region_code": code,
                "name": region_name(store, region_type, code),
            },
            "cluster": {
                "cluster_code": cluster,
                "cluster_name": meta["cluster_name"].iloc[0] if len(meta) else cluster,
                "traded": bool(meta["traded"].iloc[0]) if len(meta) else None,
            },
            "year": year,
            "tables": {
                "timeline": as_table(timeline),
                "change": as_table(records(ch), list(ch.columns)),
                "subclusters": as_table(records(add_status(subs)) if len(subs) else []),
                "industries": as_table(records(inds), list(inds.columns)),
            },
            "fields": relabel(FIELDS, store.manifest),
        }

    return store.memo(("rc", region_type, code, cluster, year), compute)
