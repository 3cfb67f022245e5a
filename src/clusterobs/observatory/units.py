"""The unit of every figure the observatory shows, by column name.

Why here and not in each template: a page states the unit beside each figure (table headers,
chart axes, the sources table), and one mapping keeps them the same everywhere. Money follows
the result's source: County Business Patterns report annual payroll in current U.S. dollars, so
a wage is payroll / reported employment in US$ per job and year, not price-adjusted.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

JOBS = _("jobs")
PER_YEAR = _("% per year (compound annual growth)")
LQ = _("ratio; 1 = national average")
MONEY = _("US$ per job per year, current prices")

UNITS = {
    "employment": JOBS,
    "employment_reported": JOBS,
    "employment_imputed": JOBS,
    "traded_employment": JOBS,
    "local_employment": JOBS,
    "national_employment": JOBS,
    "employment_start": JOBS,
    "employment_end": JOBS,
    "job_creation": JOBS,
    "expected_job_creation": JOBS,
    "ss_national_share": JOBS,
    "ss_industry_mix": JOBS,
    "ss_regional_share": JOBS,
    "establishments": _("establishments"),
    "wage": MONEY,
    "national_wage": MONEY,
    "wage_start": MONEY,
    "wage_end": MONEY,
    "emp_cagr": PER_YEAR,
    "employment_cagr": PER_YEAR,
    "establishments_cagr": PER_YEAR,
    "wage_cagr": PER_YEAR,
    "lq_traded_local": LQ,
    "lq_total": LQ,
    "lq_change": _("change of the ratio"),
    "national_share": _("% of the cluster's national employment"),
    "national_share_change": _("percentage points"),
    "traded_share": _("% of the region's employment"),
    "cluster_strength": _("% of the region's traded employment"),
    "strong": _("yes / no"),
    "strong10": _("yes / no"),
    "eco_stars": _("stars, 0–3"),
    "employment_rank": _("rank; 1 = largest"),
    "lq_rank": _("rank; 1 = largest"),
    "employment_index": _("index, first year = 100"),
    "national_index": _("index, first year = 100"),
    "strong_regions": _("regions"),
}

#: Notes of figures the result's own field notes do not cover (formulas of the mapping engine).
NOTES = {
    "employment_cagr": {
        "label": _("Employment growth (CAGR)"),
        "definition": _("(E_end/E_start)^(1/years) - 1, first to last year of the result."),
    },
    "establishments_cagr": {
        "label": _("Establishment growth (CAGR)"),
        "definition": _("(N_end/N_start)^(1/years) - 1 of the number of establishments."),
    },
    "wage_cagr": {
        "label": _("Wage growth (CAGR)"),
        "definition": _("(W_end/W_start)^(1/years) - 1 of the average wage (nominal)."),
    },
    "traded_share": {
        "label": _("Traded share of employment"),
        "definition": _("Employment in traded clusters / all employment of the region."),
    },
    "national_share_change": {
        "label": _("Change in national share"),
        "definition": _("National share in the year minus national share in the first year."),
    },
    "employment_rank": {
        "label": _("Employment rank"),
        "definition": _("Rank by the cluster's employment among regions of the type."),
    },
    "employment_index": {
        "label": _("Employment index"),
        "definition": _("Employment of the year / employment of the first year x 100."),
    },
    "national_wage": {
        "label": _("National cluster wage"),
        "definition": _("Annual payroll / reported employment of the cluster in the nation."),
    },
    "ss_national_share": {
        "label": _("Shift-share: national share"),
        "definition": _("Jobs gained had the cluster grown like the national economy (Dunn)."),
    },
    "ss_industry_mix": {
        "label": _("Shift-share: industry mix"),
        "definition": _("The cluster's national growth beyond the economy's, applied here."),
    },
    "ss_regional_share": {
        "label": _("Shift-share: regional share"),
        "definition": _("Actual change minus the two components above: the region's own shift."),
    },
    "lq_change": {
        "label": _("Change in LQ"),
        "definition": _("LQ (traded/local) of the last year minus that of the first year."),
    },
    "strong_regions": {
        "label": _("Strong regions"),
        "definition": _("Regions where the cluster (or sub-cluster) is a strong cluster."),
    },
}

#: Columns that name or code things rather than measure them: no unit.
LABELS = {
    "cluster_name",
    "cluster_code",
    "name",
    "region_code",
    "subcluster_code",
    "subcluster_name",
    "industry_code",
    "industry_title",
    "traded",
    "year",
    "start_year",
    "end_year",
    "employment_status",
    "wage_status",
    "kind",
}


def unit(column: str) -> str:
    """The unit of ``column`` ("" for names and codes, and for columns not listed). A compare
    column ``"<indicator>:<cluster>"`` has its indicator's unit."""
    return str(UNITS.get(column.split(":", 1)[0], ""))
