"""Change between two years: growth rates, job creation, LQ change and shift-share.

For every region, cluster (and sub-cluster) and pair of years ``(s, e)``:

* ``emp_cagr = (E_e / E_s) ** (1 / (e - s)) - 1``; likewise ``wage_cagr`` and ``est_cagr``
  (compound annual growth rate; null when the start value is not positive);
* ``job_creation = E_e - E_s``;
* ``expected_job_creation = E_s * (E_c,nat,e / E_c,nat,s - 1)``: the jobs the region would have
  gained had the cluster grown at its national rate (U.S. Cluster Mapping "expected" change);
  equals Dunn's national share + industry mix;
* ``lq_change`` = change of ``lq_traded_local``; ``lq_total_change`` of ``lq_total``;
* shift-share components (:mod:`clusterobs.mapping.shiftshare`);
* ``job_creation_rank``/``_percentile`` and ``emp_cagr_rank``/``_percentile`` within regions of the
  same type with ``E_s > 0`` (see :mod:`clusterobs.mapping.percentiles`).

A region-cluster missing in one year counts as zero employment there; its national and regional
figures for that year come from the national and region tables. Pairs
(:func:`clusterobs.mapping.coverage.pairs`): consecutive years, first to last year of each
classification vintage, and first to last overall; each row says whether its years use different
vintages (``vintage_break``) or the region's coverage of the published total breaks between them
(``coverage_break``).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from clusterobs.mapping.percentiles import rank_percentile
from clusterobs.mapping.shiftshare import dunn, esteban_marquillas, growth
from clusterobs.tables.expressions import left_join

CAGR_RULE = "(E_end/E_start)^(1/years) - 1; null where E_start <= 0"
CELL = ["r", "rt", "k", "traded"]
PAIR = ["start_year", "end_year"]
#: cell values carried from each year into the change table
CARRIED = ["employment", "wage", "establishments", "lq_traded_local", "lq_total"]
RANKED = ("job_creation", "emp_cagr")

GLOSSARY = {
    "emp_cagr": {
        "label": "Employment growth (CAGR)",
        "definition": CAGR_RULE + ".",
        "source": "mapping engine",
    },
    "job_creation": {
        "label": "Job creation",
        "definition": "E_end - E_start.",
        "source": "mapping engine",
    },
    "expected_job_creation": {
        "label": "Expected job creation",
        "definition": "E_start x national cluster growth: jobs the region would have gained "
        "growing like the cluster nationally.",
        "source": "mapping engine",
    },
}


def cagr(start: ir.NumericValue, end: ir.NumericValue, years: ir.NumericValue) -> ir.FloatingValue:
    """``(end / start) ** (1 / years) - 1``; null where ``start <= 0`` or a value is null."""
    value = (end.cast("float64") / start.cast("float64")).pow(1.0 / years) - 1.0
    return ibis.ifelse(start > 0, value, ibis.null("float64"))


def pair_sides(base: ir.Table, pairs: ir.Table) -> ir.Table:
    """One row per cell present in the start or the end year of each pair (the change table's
    rows), with the start (``*_s``) and end (``*_e``) values of the ``CARRIED`` columns; null
    where the cell has no row in that year.

    A full outer join of the start-year and the end-year rows (each tagged with its pair) on
    the integer cell keys and the pair: one hash join, 2.5 times cheaper than grouping the two
    sides together and 5 times cheaper than a distinct union plus two joins on string codes.
    """
    sides = []
    for side, year_col in (("s", "start_year"), ("e", "end_year")):
        rows = base.inner_join(pairs, base.year == pairs[year_col])
        sides.append(rows.select(**{f"{c}_{side}": rows[c] for c in [*CELL, *PAIR, *CARRIED]}))
    s, e = sides
    on = [s[f"{c}_s"] == e[f"{c}_e"] for c in ["r", "k", *PAIR]]
    j = s.outer_join(e, on)
    return j.select(
        **{c: j[f"{c}_s"].coalesce(j[f"{c}_e"]) for c in [*CELL, *PAIR]},
        **{f"{c}_{x}": j[f"{c}_{x}"] for x in "se" for c in CARRIED},
    )


def _with_pair_ranks(m: ir.Table) -> tuple[ir.Table, list[str]]:
    """Employment start/end, job creation and CAGR, ranked before the national and regional
    joins (the fewer columns a window sorts, the faster)."""
    years = (m.end_year - m.start_year).cast("float64")
    e0 = m.employment_s.fill_null(0.0)
    e1 = m.employment_e.fill_null(0.0)
    m = m.mutate(
        employment_start=e0, employment_end=e1, job_creation=e1 - e0, emp_cagr=cagr(e0, e1, years)
    )
    ranks = {}
    for col in RANKED:
        rank, pct = rank_percentile(m, col, ["rt", "k", *PAIR], m.employment_start > 0)
        ranks[f"{col}_rank"] = rank
        ranks[f"{col}_percentile"] = pct
    return m.mutate(**ranks), list(ranks)


def _with_side_totals(m: ir.Table, national: ir.Table, regions: ir.Table) -> ir.Table:
    """National (``n_s, n_e``: cluster; ``t_s, t_e``: all industries) and regional
    (``r_s, r_e``) employment of both years of each pair."""
    for side, year_col in (("s", "start_year"), ("e", "end_year")):
        nat = national.select(
            "rt",
            "k",
            **{
                year_col: national.year,
                f"n_{side}": national.national_employment,
                f"t_{side}": national.national_total,
            },
        )
        m = left_join(m, nat, ["rt", "k", year_col])
        reg = regions.select("r", **{year_col: regions.year, f"r_{side}": regions.region_total})
        m = left_join(m, reg, ["r", year_col])
    return m


def change_pairs(
    base: ir.Table,
    pairs: ir.Table,
    national: ir.Table,
    regions: ir.Table,
    *,
    esteban_marquillas_terms: bool,
) -> ir.Table:
    """The change table of the year pairs in ``pairs`` (``start_year, end_year``), one query.

    ``base``: cluster-region-year rows with the integer keys ``CELL``, ``year`` and the
    ``CARRIED`` columns; ``national``: ``rt, k, year, national_employment, national_total``;
    ``regions``: ``r, year, region_total``. Cells present in either year take part; a missing
    side counts as zero employment and establishments, and takes its national and regional
    figures from ``national`` and ``regions``. Percentile ranks are within region type,
    cluster (sub-cluster) and pair. The result has the integer keys.
    """
    m, rank_cols = _with_pair_ranks(pair_sides(base, pairs))
    m = _with_side_totals(m, national, regions)
    years = (m.end_year - m.start_year).cast("float64")
    e0, e1 = m.employment_start, m.employment_end
    g_cluster = growth(m.n_e, m.n_s)
    # A cell absent in a year has no establishments there (0); a present cell whose source
    # gives no establishment count keeps it unknown (null).
    est0 = ibis.ifelse(m.employment_s.isnull(), 0.0, m.establishments_s)
    est1 = ibis.ifelse(m.employment_e.isnull(), 0.0, m.establishments_e)
    cols: dict[str, ir.Value] = {
        **{c: m[c] for c in CELL},
        "start_year": m.start_year.cast("int64"),
        "end_year": m.end_year.cast("int64"),
        "employment_start": e0,
        "employment_end": e1,
        "emp_cagr": m.emp_cagr,
        "wage_start": m.wage_s,
        "wage_end": m.wage_e,
        "wage_cagr": cagr(m.wage_s, m.wage_e, years),
        "establishments_start": est0,
        "establishments_end": est1,
        "est_cagr": cagr(est0, est1, years),
        "job_creation": m.job_creation,
        "expected_job_creation": e0 * g_cluster,
        "lq_start": m.lq_traded_local_s,
        "lq_end": m.lq_traded_local_e,
        "lq_change": m.lq_traded_local_e - m.lq_traded_local_s,
        "lq_total_change": m.lq_total_e - m.lq_total_s,
        **dunn(e0, e1, g_cluster, growth(m.t_e, m.t_s)),
    }
    if esteban_marquillas_terms:
        cols.update(esteban_marquillas(e0, e1, m.r_s, m.n_s, m.t_s, g_cluster))
    return m.select(**cols, **{c: m[c] for c in rank_cols})
