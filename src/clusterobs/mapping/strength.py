"""U.S. Cluster Mapping strength flags and the region's cluster strength.

Source: U.S. Cluster Mapping (clustermapping.us) methodology, "Cluster Strength" and "Strong
Clusters"; Delgado, Porter & Stern (2014), "Clusters, convergence, and economic performance",
Research Policy 43(10). For **traded** clusters only (local clusters get null flags), with
``LQ = lq_traded_local`` and percentiles P over the peers (:mod:`clusterobs.mapping.percentiles`)::

    size_ok     = E_cr > P25(E)  and  establishments_cr > P25(establishments)
    qualifying  = LQ >  P25(LQ)                 and size_ok
    significant = LQ >  P50(LQ)                 and size_ok
    strong      = LQ >= P75(LQ) and LQ >= 1     and size_ok
    strong10    = LQ >= P90(LQ) and LQ >= 1     and size_ok

When the input has no establishment counts (e.g. census worker tables), the size test on
establishments **cannot be applied**: it is skipped (``size_ok`` uses employment only) and the
result's manifest names the skipped test. It is never evaluated against zeros.

Region cluster strength = employment in strong traded clusters / traded employment of the region
(cluster level; sub-cluster flags are reported but not summed).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from clusterobs.mapping.percentiles import PEER_RULE
from clusterobs.tables.expressions import holds, ratio

#: flag -> (comparison with the LQ percentile, LQ percentile, LQ must also be >= 1)
FLAG_RULES: dict[str, tuple[str, float, bool]] = {
    "qualifying": (">", 0.25, False),
    "significant": (">", 0.50, False),
    "strong": (">=", 0.75, True),
    "strong10": (">=", 0.90, True),
}
FLAGS = tuple(FLAG_RULES)
SIZE_QUANTILE = 0.25
MIN_STRONG_LQ = 1.0

#: threshold column -> (column, quantile), computed per peer group
THRESHOLDS = {
    **{f"q_lq{round(q * 100)}": ("lq_traded_local", q) for _, q, _ in FLAG_RULES.values()},
    "q_e25": ("employment", SIZE_QUANTILE),
    "q_est25": ("establishments", SIZE_QUANTILE),
}
ESTABLISHMENTS_TEST = "establishments > P25(establishments)"


def _flag_text(name: str) -> str:
    op, q, floor = FLAG_RULES[name]
    text = f"{name} LQ{op}P{round(q * 100)}"
    return text + (f" & LQ>={MIN_STRONG_LQ:g}" if floor else "")


FLAG_RULE = (
    "traded only: "
    + ", ".join(_flag_text(n) for n in FLAGS)
    + f"; all need E>P{round(SIZE_QUANTILE * 100)}(E) and est>P{round(SIZE_QUANTILE * 100)}"
    "(est) (the establishments test is skipped, and named, when the input has none); " + PEER_RULE
)
CLUSTER_STRENGTH_RULE = "share of the region's traded employment in its strong traded clusters"

GLOSSARY = {
    "strong": {
        "label": "Strong cluster",
        "definition": FLAG_RULE,
        "source": "U.S. Cluster Mapping convention",
    },
    "cluster_strength": {
        "label": "Cluster strength",
        "definition": CLUSTER_STRENGTH_RULE.capitalize() + ".",
        "source": "U.S. Cluster Mapping convention",
    },
}


def flags(j: ir.Table, *, establishments_test: bool = True) -> dict[str, ir.BooleanValue]:
    """The four flags of each row of ``j`` (which carries the :data:`THRESHOLDS` columns);
    null for local clusters."""
    lq = j.lq_traded_local
    size_ok = holds(j.employment > j.q_e25)
    if establishments_test:
        size_ok = size_ok & holds(j.establishments > j.q_est25)
    out = {}
    for name, (op, q, floor) in FLAG_RULES.items():
        limit = j[f"q_lq{round(q * 100)}"]
        passed = holds(lq > limit) if op == ">" else holds(lq >= limit)
        if floor:
            passed = passed & holds(lq >= MIN_STRONG_LQ)
        out[name] = ibis.ifelse(j.traded, passed & size_ok, ibis.null("boolean"))
    return out


def cluster_strength(cluster_rows: ir.Table, regions: ir.Table) -> ir.Table:
    """``regions`` (``r, year, traded_employment``) plus ``cluster_strength``.

    ``cluster_rows``: flagged cluster-level rows (no sub-clusters) with ``r, year, traded,
    strong, employment``.
    """
    strong = cluster_rows.filter(cluster_rows.traded & holds(cluster_rows.strong))
    sums = strong.group_by("r", "year").aggregate(strong_employment=strong.employment.sum())
    j = regions.left_join(sums, ["r", "year"])
    j = j.drop(*[c for c in ("r_right", "year_right") if c in j.columns])
    share = ratio(j.strong_employment.fill_null(0.0), j.traded_employment)
    return j.mutate(cluster_strength=share).drop("strong_employment")
