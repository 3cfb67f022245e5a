"""Change between two years: growth rates, job creation, LQ change and shift-share.

For every region, cluster (and sub-cluster) and pair of years ``(s, e)``:

* ``emp_cagr = (E_e / E_s) ** (1 / (e - s)) - 1``; likewise ``wage_cagr`` and ``est_cagr``
  (compound annual growth rate; null when the start value is not positive);
* ``job_creation = E_e - E_s``;
* ``expected_job_creation = E_s * (E_c,nat,e / E_c,nat,s - 1)`` — the jobs the region would have
  gained had the cluster grown at its national rate (U.S. Cluster Mapping "expected" change);
  equals Dunn's national share + industry mix;
* ``lq_change`` = change of ``lq_traded_local``; ``lq_total_change`` of ``lq_total``;
* shift-share components (:mod:`clusterobs.mapping.shiftshare`): ``ss_national_share``,
  ``ss_industry_mix``, ``ss_regional_share`` and, as an option, Esteban-Marquillas'
  ``ss_em_competitive`` and ``ss_em_allocation``;
* ``job_creation_rank``/``_percentile`` and ``emp_cagr_rank``/``_percentile`` within regions of the
  same type with ``E_s > 0`` (see :mod:`clusterobs.mapping.percentiles`).

A region-cluster missing in one year counts as zero employment there; its national and regional
figures for that year come from the national and region tables. Pairs: every pair of
consecutive years in the data and first-to-last. The table is computed in the engine, one
pair at a time (:func:`clusterobs.mapping.statistics.change_pair`, the same formulas); the
numpy functions here are the reference versions. Note that a pair spanning a NAICS vintage change
compares employment mapped through a crosswalk (see the manifest's mapped shares).
"""

from __future__ import annotations

import itertools

import numpy as np


def cagr(start: np.ndarray, end: np.ndarray, years: int) -> np.ndarray:
    """Compound annual growth rate; null where ``start <= 0`` or either value is null."""
    s = np.asarray(start, dtype="float64")
    e = np.asarray(end, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.power(e / s, 1.0 / years) - 1.0
    out[~(s > 0) | ~np.isfinite(out)] = np.nan
    return out


def year_pairs(years: list[int]) -> list[tuple[int, int]]:
    """Consecutive pairs plus first-to-last."""
    ys = sorted(set(years))
    pairs = list(itertools.pairwise(ys))
    if len(ys) > 2:
        pairs.append((ys[0], ys[-1]))
    return pairs
