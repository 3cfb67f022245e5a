"""Search across the result's regions and clusters."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pandas as pd
from django.urls import reverse

from clusterobs.observatory.selectors.caching import cluster_names, region_names
from clusterobs.observatory.store import ResultsStore


def _text(value: object) -> str:
    """A title that may be missing (``None``, NaN or ``pd.NA``) as text."""
    return value if isinstance(value, str) else ""


def search(store: ResultsStore, q: str, limit: int | None = 20) -> list[dict[str, Any]]:
    """Regions, clusters, industry titles and codes ("which cluster is NAICS 336111 in?"); the
    best ``limit`` (None: all of them)."""
    q = q.strip()
    if len(q) < 2:
        return []
    ql = q.lower()
    out: list[dict[str, Any]] = []
    rt = store.main_type
    here = "?" + urlencode({"dataset": store.name})  # links stay in the dataset searched
    for code, name in region_names(store, rt).items():
        if code in store.region_codes(rt) and (ql in name.lower() or ql == code.lower()):
            out.append(
                {
                    "kind": "region",
                    "label": name,
                    "code": code,
                    "url": reverse("observatory:region", args=[rt, code]) + here,
                }
            )
    for c in store.clusters.itertuples():
        if ql in str(c.cluster_name).lower() or ql == str(c.cluster_code):
            out.append(
                {
                    "kind": "cluster",
                    "label": c.cluster_name,
                    "code": c.cluster_code,
                    "url": reverse("observatory:cluster", args=[c.cluster_code]) + here,
                }
            )
    d = store.definition
    if len(d):
        # a code query (336111, 29, 46.2, C29): its digits; digits inside a word (DE11) are not
        digits = q.lstrip("`").replace(".", "")
        digits = digits[1:] if digits[:1].isalpha() and digits[1:].isdigit() else digits
        digits = digits if digits.isdigit() else ""
        names = cluster_names(store)
        plain = d["industry_code"].str.replace(".", "", regex=False)
        by_code = d[plain.str.startswith(digits)] if len(digits) >= 2 else d.iloc[:0]
        by_title = d[d["industry_title"].fillna("").str.lower().str.contains(ql, regex=False)]
        hits = pd.concat([by_code, by_title]).drop_duplicates("industry_code")
        for r in (hits if limit is None else hits.head(limit)).itertuples():
            cname = names.get(r.cluster_code, r.cluster_code)
            out.append(
                {
                    "kind": "industry",
                    "label": f"{r.industry_code} {_text(r.industry_title)}".strip(),
                    "code": r.industry_code,
                    "detail": f"in cluster {cname}",
                    "cluster_code": r.cluster_code,
                    "url": reverse("observatory:cluster", args=[r.cluster_code]) + here,
                }
            )
    order = {"region": 0, "cluster": 1, "industry": 2}
    out.sort(key=lambda r: (order[r["kind"]], not r["label"].lower().startswith(ql), r["label"]))
    return out if limit is None else out[:limit]
