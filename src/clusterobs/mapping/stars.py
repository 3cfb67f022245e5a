"""European Cluster Observatory stars.

Source: European Cluster Observatory star rating (Ketels & Protsiv 2014, "Methodology and
Findings Report for a Cluster Mapping of Related Sectors", European Commission / Center for
Strategy and Competitiveness; earlier ECO reports 2007-2011). One star for each of::

    star_size            E_cr >= P90(E_cr)              (top 10 % of regions by employment)
    star_specialisation  lq_total >= 2                 (LQ against all-industry employment)
    star_focus           region_share >= P90(region_share)

``eco_stars`` is their count (0-3). Peers and percentiles as for the U.S. flags: regions of the
same type with ``E_cr > 0``, per cluster (or sub-cluster) and year, linear interpolation.
Computed for every cluster, traded or local (the ECO rated the clusters it defined; for local
clusters the stars are descriptive only). A row outside the peers (no employment) has no star.
"""

from __future__ import annotations

import ibis.expr.types as ir

from clusterobs.tables.expressions import holds

SIZE_QUANTILE = 0.9
FOCUS_QUANTILE = 0.9
SPECIALISATION_THRESHOLD = 2.0
STARS = ("star_size", "star_specialisation", "star_focus")

THRESHOLDS = {
    "q_e90": ("employment", SIZE_QUANTILE),
    "q_s90": ("region_share", FOCUS_QUANTILE),
}
STAR_RULE = (
    f"size E>=P{round(SIZE_QUANTILE * 100)}(E); specialisation lq_total>="
    f"{SPECIALISATION_THRESHOLD:g}; focus region_share>=P{round(FOCUS_QUANTILE * 100)}"
)

GLOSSARY = {
    "eco_stars": {
        "label": "ECO stars",
        "definition": STAR_RULE + " (one star each, 0-3).",
        "source": "European Cluster Observatory",
    },
}


def stars(j: ir.Table) -> dict[str, ir.Value]:
    """The three stars and ``eco_stars`` of each row of ``j`` (which carries the
    :data:`THRESHOLDS` columns)."""
    peer = j.employment > 0
    out: dict[str, ir.Value] = {
        "star_size": peer & holds(j.employment >= j.q_e90),
        "star_specialisation": peer & holds(j.lq_total >= SPECIALISATION_THRESHOLD),
        "star_focus": peer & holds(j.region_share >= j.q_s90),
    }
    count = sum((out[s].cast("int8") for s in STARS[1:]), out[STARS[0]].cast("int8"))
    out["eco_stars"] = count.cast("int8")
    return out
