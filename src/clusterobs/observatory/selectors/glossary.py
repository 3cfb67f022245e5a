"""What the observatory's columns mean (shown on pages and in the API) and the map indicators.

Conventions shown to users (``FIELDS``): employment includes imputed values for suppressed cells
(midpoint of the size class by default) and every row says how much was imputed
(``employment_status``: ``reported``, ``partly_imputed``, ``imputed``); wages use reported cells
only and are ``null`` with ``wage_status = "suppressed"`` when no cell was published."""

from __future__ import annotations

from clusterobs.mapping.conventions import GLOSSARY

FIELDS: dict[str, dict[str, str]] = {
    "employment": {
        "label": "Employment",
        "definition": "Jobs in the region (CBP mid-March employment). Suppressed cells are "
        "imputed (see employment_status and employment_imputed).",
        "source": "U.S. Census County Business Patterns via the mapping engine",
    },
    "employment_imputed": {
        "label": "Imputed employment",
        "definition": "Part of employment estimated for cells CBP withheld (size-class midpoint "
        "or constrained imputation, see the manifest).",
        "source": "mapping engine (imputation)",
    },
    "establishments": {
        "label": "Establishments",
        "definition": "Number of establishments in the cluster's industries.",
        "source": "CBP",
    },
    "wage": {
        "label": "Average annual wage",
        "definition": "Annual payroll / reported employment over cells where both are published; "
        "imputed employment never enters a wage.",
        "source": "CBP",
    },
    # The statistics: one text each, next to the expression that computes it.
    **GLOSSARY,
}


INDUSTRY_COLUMNS = ["industry_code", "industry_title", "subcluster_code"]


MAP_INDICATORS = {
    "lq_traded_local": "LQ (traded/local economy)",
    "lq_total": "LQ (all industries)",
    "strong": "Strong cluster (1 = strong)",
    "eco_stars": "ECO stars",
    "employment": "Employment",
    "emp_cagr": "Employment growth (CAGR, first to last year)",
    "cluster_strength": "Cluster strength (regions, no cluster)",
}
