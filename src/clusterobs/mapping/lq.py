"""Location quotients, employment shares and wages of cluster-region-year cells.

Location quotient (Florence 1939; Isard 1960), for cluster ``c`` in region ``r``::

    LQ_cr = (E_cr / E_r) / (E_c,nat / E_nat)

Two denominators are published and both are computed:

``lq_traded_local`` (U.S. Cluster Mapping, Delgado, Porter & Stern 2014, clustermapping.us
methodology): ``E_r`` is the region's *traded* employment for a traded cluster and its *local*
employment for a local cluster (sum of the definition's traded resp. local clusters), and
``E_nat`` the same at national level. This compares a cluster with its own part of the economy.

``lq_total`` (European Cluster Observatory star methodology, Ketels & Protsiv 2014): ``E_r`` is the
region's all-industry total employment (the published total row, CBP ``------``) and ``E_nat``
the national total.

``region_share = E_cr / E_r,total`` and ``national_share = E_cr / E_c,nat``. ``wage`` = annual
payroll / reported employment over the cells where both are published (imputed employment never
enters a wage). Where a denominator is zero or unknown the result is null, never 0 or infinite.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from clusterobs.tables.expressions import ratio

LQ_TRADED_LOCAL_RULE = (
    "(E_cr/E_Tr)/(E_c,nat/E_T,nat); T = traded employment for traded clusters, local "
    "employment for local clusters (U.S. Cluster Mapping)"
)
LQ_TOTAL_RULE = (
    "(E_cr/E_r,total)/(E_c,nat/E_nat,total); total = published all-industry row "
    "(European Cluster Observatory)"
)
WAGE_RULE = "annual payroll / reported employment, over cells with both published"

GLOSSARY = {
    "lq_traded_local": {
        "label": "LQ (traded/local economy)",
        "definition": LQ_TRADED_LOCAL_RULE,
        "source": "Delgado, Porter & Stern (2014)",
    },
    "lq_total": {
        "label": "LQ (all industries)",
        "definition": LQ_TOTAL_RULE,
        "source": "Ketels & Protsiv (2014)",
    },
    "region_share": {
        "label": "Share of the region's employment",
        "definition": "E_cr / E_r,total: the cluster's share of the region's employment.",
        "source": "European Cluster Observatory (focus)",
    },
    "national_share": {
        "label": "National share",
        "definition": "E_cr / E_c,nat: the region's share of the cluster's national employment.",
        "source": "mapping engine",
    },
    "wage": {
        "label": "Average wage",
        "definition": WAGE_RULE,
        "source": "County Business Patterns payroll",
    },
}


def with_lqs(t: ir.Table) -> ir.Table:
    """``t`` plus ``lq_traded_local, lq_total, region_share, national_share, wage``.

    Expects per row: ``traded``, ``employment``, ``traded_employment``, ``local_employment``,
    ``region_total`` (the region's), ``national_employment``, ``national_traded``,
    ``national_local``, ``national_total`` and the wage sums ``wage_payroll``,
    ``wage_employment``.
    """
    region_part = ibis.ifelse(t.traded, t.traded_employment, t.local_employment)
    national_part = ibis.ifelse(t.traded, t.national_traded, t.national_local)
    return t.mutate(
        lq_traded_local=ratio(
            ratio(t.employment, region_part), ratio(t.national_employment, national_part)
        ),
        lq_total=ratio(
            ratio(t.employment, t.region_total), ratio(t.national_employment, t.national_total)
        ),
        region_share=ratio(t.employment, t.region_total),
        national_share=ratio(t.employment, t.national_employment),
        wage=ibis.ifelse(
            t.wage_employment > 0, t.wage_payroll / t.wage_employment, ibis.null("float64")
        ),
    )
