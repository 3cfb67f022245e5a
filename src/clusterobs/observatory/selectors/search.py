"""Search across the result's regions and clusters."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.urls import reverse

from clusterobs.observatory.selectors.caching import cluster_names, region_names
from clusterobs.observatory.store import ResultsStore


def search(store: ResultsStore, q: str, limit: int = 20) -> list[dict[str, Any]]:
    """Regions, clusters, industry titles and codes ("which cluster is NAICS 336111 in?")."""
    q = q.strip()
    if len(q) < 2:
        return []
    ql = q.lower()
    out: list[dict[str, Any]] = []
    rt = store.main_type
    for code, name in region_names(store, rt).items():
        if code in store.region_codes(rt) and (ql in name.lower() or ql == code.lower()):
            out.append(
                {
                    "kind": "region",
                    "label": name,
                    "code": code,
                    "url": reverse("observatory:region", args=[rt, code]),
                }
            )
    for c in store.clusters.itertuples():
        if ql in str(c.cluster_name).lower() or ql == str(c.cluster_code):
            out.append(
                {
                    "kind": "cluster",
                    "label": c.cluster_name,
                    "code": c.cluster_code,
                    "url": reverse("observatory:cluster", args=[c.cluster_code]),
                }
            )
    d = store.definition
    if len(d):
        digits = "".join(ch for ch in q if ch.isdigit())
        names = cluster_names(store)
        by_code = d[d["industry_code"].str.startswith(digits)] if len(digits) >= 2 else d.iloc[:0]
        by_title = d[d["industry_title"].fillna("").str.lower().str.contains(ql, regex=False)]
        hits = pd.concat([by_code, by_title]).drop_duplicates("industry_code")
        for r in hits.head(limit).itertuples():
            cname = names.get(r.cluster_code, r.cluster_code)
            out.append(
                {
                    "kind": "industry",
                    "label": f"{r.industry_code} {r.industry_title or ''}".strip(),
                    "code": r.industry_code,
                    "detail": f"in cluster {cname}",
                    "cluster_code": r.cluster_code,
                    "url": reverse("observatory:cluster", args=[r.cluster_code]),
                }
            )
    order = {"region": 0, "cluster": 1, "industry": 2}
    out.sort(key=lambda r: (order[r["kind"]], not r["label"].lower().startswith(ql), r["label"]))
    return out[:limit]
