"""One cluster across the published datasets, and the clusters strong in several of them.

Why: the European and Indian definitions shipped with the product carry the U.S. benchmark
clusters to NACE Rev.2 and NIC 2008, so "Automotive" is the same list of activities in the U.S.
states, the NUTS 2 regions and the Indian districts. Side by side, a cluster's strongest regions
answer the EU-India source document's question of "common clusters" by computation rather than
by a list: a cluster is *common* to two datasets when each has at least one strong region in it
(the strong-cluster rule of the engine, applied in each dataset to its own latest year).

Clusters are matched by name (case and spacing ignored), the one identity the carried
definitions keep; datasets with other definitions simply share fewer names.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from clusterobs.observatory.measure import measure_of
from clusterobs.observatory.selectors.caching import region_names
from clusterobs.observatory.store import ResultsStore, datasets, get_store

TOP = 10


def _key(name: object) -> str:
    return " ".join(str(name).lower().split())


def stores() -> list[ResultsStore]:
    """Every published result, the configured default first."""
    found = [get_store(n) for n in datasets()]
    default = get_store(None).name if found else None
    return sorted(found, key=lambda s: (s.name != default, s.name))


def _strength(store: ResultsStore) -> pd.DataFrame:
    """Per cluster of the store's latest year: strong regions, regions and employment."""

    def compute() -> pd.DataFrame:
        year = store.years[-1]
        return store.query(
            "SELECT any_value(cluster_name) cluster_name, cluster_code, "
            "count(*) FILTER (WHERE strong) strong_regions, count(*) regions, "
            "sum(employment) employment FROM cry WHERE subcluster_code IS NULL AND year = ? "
            "AND region_type = ? GROUP BY cluster_code",
            [year, store.main_type],
        )

    return store.memo(("across-strength",), compute)


def common_clusters() -> dict[str, Any]:
    """Each traded cluster name with its strong regions in every dataset; ``common_to`` counts
    the datasets where it has at least one strong region."""
    all_stores = stores()
    rows: dict[str, dict[str, Any]] = {}
    for store in all_stores:
        for r in _strength(store).itertuples():
            row = rows.setdefault(_key(r.cluster_name), {"cluster_name": r.cluster_name})
            row[store.name] = {
                "cluster_code": r.cluster_code,
                "strong_regions": int(r.strong_regions),
                "regions": int(r.regions),
            }
    for row in rows.values():
        row["common_to"] = sum(
            1 for s in all_stores if (row.get(s.name) or {}).get("strong_regions", 0) > 0
        )
    ordered = sorted(rows.values(), key=lambda r: (-r["common_to"], r["cluster_name"]))
    return {"datasets": [describe(s) for s in all_stores], "clusters": ordered}


def describe(store: ResultsStore) -> dict[str, Any]:
    m = measure_of(store.manifest)
    return {
        "name": store.name,
        "title": (store.manifest.get("embedded") or {}).get("title") or store.name,
        "year": store.years[-1],
        "first_year": store.years[0],
        "region_type": store.main_type,
        "measure": m.label,
        "unit": m.unit,
    }


def cluster_across(name: str, top: int = TOP) -> dict[str, Any] | None:
    """The ``top`` regions of cluster ``name`` in each dataset (latest year, strong regions
    first, then by employment), or ``None`` when no dataset has a cluster of that name."""

    key = _key(name)
    panels = []
    for store in stores():
        match = _strength(store)
        match = match[match["cluster_name"].map(_key) == key]
        if match.empty:
            continue
        code = str(match["cluster_code"].iloc[0])
        year = store.years[-1]
        regions = store.query(
            "SELECT region_code, employment, lq_traded_local, national_share, strong, eco_stars "
            "FROM cry WHERE subcluster_code IS NULL AND year = ? AND region_type = ? "
            "AND cluster_code = ? ORDER BY strong DESC, employment DESC LIMIT ?",
            [year, store.main_type, code, top],
        )
        names = region_names(store, store.main_type)
        regions.insert(1, "name", [names.get(c, c) for c in regions["region_code"]])
        panels.append(
            {
                **describe(store),
                "cluster_code": code,
                "strong_regions": int(match["strong_regions"].iloc[0]),
                "regions": regions.astype(object).where(regions.notna(), None).to_dict("records"),
            }
        )
    if not panels:
        return None
    return {"cluster_name": str(name), "panels": panels}
