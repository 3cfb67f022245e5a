"""Compare regions side by side and find a region's peers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clusterobs.observatory.measure import relabel
from clusterobs.observatory.selectors.caching import cluster_names, region_names
from clusterobs.observatory.selectors.glossary import FIELDS
from clusterobs.observatory.selectors.maths import to_python
from clusterobs.observatory.selectors.regions import region_exists, region_summary
from clusterobs.observatory.selectors.results import (
    as_table,
    cluster_level,
    region_year,
    result_year,
)
from clusterobs.observatory.store import ResultsStore

#: regions compared side by side at most (a table and a bar chart stay readable)
MAX_REGIONS = 10
COMPARE_INDICATORS = [
    "employment",
    "employment_cagr",
    "establishments",
    "wage",
    "traded_share",
    "cluster_strength",
]


def compare(
    store: ResultsStore,
    region_type: str,
    codes: list[str],
    clusters: list[str],
    year: int | None = None,
    cluster_indicator: str = "lq_traded_local",
) -> dict[str, Any]:
    """Up to ``MAX_REGIONS`` regions side by side: summary indicators and chosen clusters'
    values. Codes that are no region or cluster of the result, and regions beyond the limit,
    are returned by name (``unknown_regions``, ``unknown_clusters``, ``regions_left_out``) for
    the page to say so; the API refuses them instead."""
    year = result_year(store, year)
    asked = list(dict.fromkeys(codes))  # in the order given, each once
    known = [c for c in asked if region_exists(store, region_type, c)]
    unknown = [c for c in asked if c not in known]
    codes, left_out = known[:MAX_REGIONS], known[MAX_REGIONS:]
    names = region_names(store, region_type)
    rows = []
    cl = cluster_level(store, region_type)
    cl = cl[
        (cl["year"] == year) & cl["region_code"].isin(codes) & cl["cluster_code"].isin(clusters)
    ]
    cnames = cluster_names(store)
    unknown_clusters = [c for c in dict.fromkeys(clusters) if c not in cnames]
    clusters = [c for c in dict.fromkeys(clusters) if c in cnames]
    for code in codes:
        s = region_summary(store, region_type, code, year)
        row = {"region_code": code, "name": names.get(code, code)}
        row.update({k: s[k] for k in COMPARE_INDICATORS})
        mine = cl[cl["region_code"] == code].set_index("cluster_code")
        for c in clusters:
            row[f"{cluster_indicator}:{c}"] = (
                to_python(mine.loc[c, cluster_indicator]) if c in mine.index else None
            )
        rows.append(row)
    columns = [
        "region_code",
        "name",
        *COMPARE_INDICATORS,
        *[f"{cluster_indicator}:{c}" for c in clusters],
    ]
    return {
        "dataset": store.name,
        "region_type": region_type,
        "year": year,
        "clusters": [{"cluster_code": c, "cluster_name": cnames.get(c, c)} for c in clusters],
        "cluster_indicator": cluster_indicator,
        "tables": {"compare": as_table(rows, columns)},
        "fields": relabel(FIELDS, store.manifest),
        "unknown_regions": unknown,
        "unknown_clusters": unknown_clusters,
        "regions_left_out": left_out,
    }


def peers(
    store: ResultsStore, region_type: str, code: str, cluster: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Peer groups: neighbours, same parent, similar size, and where a cluster is strong."""
    from clusterobs.observatory import geography

    names = region_names(store, region_type)
    known = set(store.region_codes(region_type))

    def named(codes: Iterable[str]) -> list[dict[str, Any]]:
        return [{"region_code": c, "name": names.get(c, c)} for c in codes if c in known]

    year = store.years[-1]
    ry = region_year(store, region_type)
    ry = ry[ry["year"] == year].set_index("region_code")
    similar: list[str] = []
    if code in ry.index:
        e = ry["employment"]
        similar = list((e - e[code]).abs().drop(code).sort_values().index[:5])
    strong: list[str] = []
    if cluster:
        cl = cluster_level(store, region_type)
        cl = cl[(cl["year"] == year) & (cl["cluster_code"] == cluster) & cl["strong"].fillna(False)]
        strong = [c for c in cl.sort_values("lq_traded_local", ascending=False)["region_code"]]
        strong = [c for c in strong if c != code][:10]
    groups = {
        "neighbours": named(geography.neighbours(region_type, code)),
        "same_parent": named(
            geography.same_parent(region_type, code) or _kept_siblings(store, region_type, code)
        ),
        "similar_size": named(similar),
        "strong_in_cluster": named(strong),
    }
    if region_type.lower().startswith("nuts"):  # a NUTS code starts with its country's
        groups["same_country"] = named(sorted(c for c in known if c[:2] == code[:2] and c != code))
    return groups


def _kept_siblings(store: ResultsStore, region_type: str, code: str) -> list[str]:
    """Regions with the same parent in the region table the result was built with (NUTS 1 of
    a NUTS 2 region, state of an Indian district)."""
    kept = store.kept_regions
    kept = kept[kept["type"].str.lower() == region_type.lower()]
    parent = kept.loc[kept["code"] == code, "parent"]
    if parent.empty or not parent.iloc[0]:
        return []
    return sorted(c for c in kept.loc[kept["parent"] == parent.iloc[0], "code"] if c != code)
