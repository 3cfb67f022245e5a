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

A region-cluster missing in one year counts as zero employment there. Pairs: every pair of
consecutive years in the data and first-to-last. Note that a pair spanning a NAICS vintage change
compares employment mapped through a crosswalk (see the manifest's mapped shares).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from clusterobs.mapping.percentiles import rank_percentile
from clusterobs.mapping.shiftshare import dunn, esteban_marquillas

CELL = ["region_code", "region_type", "cluster_code", "subcluster_code"]
CARRIED = [
    "employment",
    "wage",
    "establishments",
    "lq_traded_local",
    "lq_total",
    "national_employment",
    "national_total",
    "region_total",
]


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


def _national_lookup(df: pd.DataFrame) -> pd.DataFrame:
    keys = ["region_type", "cluster_code", "subcluster_code", "year"]
    return df[[*keys, "national_employment", "national_total"]].drop_duplicates(keys)


def change_table(
    df: pd.DataFrame,
    *,
    pairs: list[tuple[int, int]] | None = None,
    esteban_marquillas_option: bool = False,
) -> pd.DataFrame:
    """Change statistics from the cluster-region-year table (both aggregation levels)."""
    pairs = pairs or year_pairs(df["year"].unique().tolist())
    nat = _national_lookup(df)
    regions = df[["region_code", "region_type", "year", "region_total"]].drop_duplicates(
        ["region_code", "region_type", "year"]
    )
    out = []
    base_cols = [*CELL, "traded", "year", *CARRIED]
    for start, end in pairs:
        a = df.loc[df["year"] == start, base_cols]
        b = df.loc[df["year"] == end, base_cols]
        m = a.merge(b, on=CELL, how="outer", suffixes=("_s", "_e"))
        m["traded"] = m["traded_s"].fillna(m["traded_e"]).astype(bool)
        for side, year in (("s", start), ("e", end)):
            m[f"employment_{side}"] = m[f"employment_{side}"].fillna(0.0)
            m[f"establishments_{side}"] = m[f"establishments_{side}"].fillna(0.0)
            missing = m[f"national_employment_{side}"].isna()
            if missing.any():
                look = nat[nat["year"] == year].drop(columns="year")
                filled = m.loc[missing, CELL].merge(
                    look, on=["region_type", "cluster_code", "subcluster_code"], how="left"
                )
                m.loc[missing, f"national_employment_{side}"] = filled[
                    "national_employment"
                ].to_numpy()
                m.loc[missing, f"national_total_{side}"] = filled["national_total"].to_numpy()
            missing = m[f"region_total_{side}"].isna()
            if missing.any():
                look = regions[regions["year"] == year].drop(columns="year")
                filled = m.loc[missing, ["region_code", "region_type"]].merge(
                    look, on=["region_code", "region_type"], how="left"
                )
                m.loc[missing, f"region_total_{side}"] = filled["region_total"].to_numpy()
        years = end - start
        e0, e1 = m["employment_s"].to_numpy(), m["employment_e"].to_numpy()
        n0, n1 = m["national_employment_s"].to_numpy(), m["national_employment_e"].to_numpy()
        t0, t1 = m["national_total_s"].to_numpy(), m["national_total_e"].to_numpy()
        res = pd.DataFrame(
            {
                **{c: m[c] for c in CELL},
                "traded": m["traded"],
                "start_year": start,
                "end_year": end,
                "employment_start": e0,
                "employment_end": e1,
                "emp_cagr": cagr(e0, e1, years),
                "wage_start": m["wage_s"].to_numpy(),
                "wage_end": m["wage_e"].to_numpy(),
                "wage_cagr": cagr(m["wage_s"], m["wage_e"], years),
                "establishments_start": m["establishments_s"].to_numpy(),
                "establishments_end": m["establishments_e"].to_numpy(),
                "est_cagr": cagr(m["establishments_s"], m["establishments_e"], years),
                "job_creation": e1 - e0,
            }
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            res["expected_job_creation"] = e0 * (n1 / n0 - 1.0)
        res["lq_start"] = m["lq_traded_local_s"].to_numpy()
        res["lq_end"] = m["lq_traded_local_e"].to_numpy()
        res["lq_change"] = res["lq_end"] - res["lq_start"]
        res["lq_total_change"] = (m["lq_total_e"] - m["lq_total_s"]).to_numpy()
        ss = dunn(e0, e1, n0, n1, t0, t1)
        res["ss_national_share"] = ss["national_share"]
        res["ss_industry_mix"] = ss["industry_mix"]
        res["ss_regional_share"] = ss["regional_share"]
        if esteban_marquillas_option:
            em = esteban_marquillas(e0, e1, m["region_total_s"].to_numpy(), n0, n1, t0)
            res["ss_em_competitive"] = em["competitive"]
            res["ss_em_allocation"] = em["allocation"]
        out.append(res)
    if not out:
        return pd.DataFrame(columns=[*CELL, "start_year", "end_year"])
    result = pd.concat(out, ignore_index=True)
    by = ["region_type", "cluster_code", "subcluster_code", "start_year", "end_year"]
    peers = result["employment_start"] > 0
    for col in ("job_creation", "emp_cagr"):
        rank, pct = rank_percentile(result, col, by=by, peers=peers)
        result[f"{col}_rank"] = rank
        result[f"{col}_percentile"] = pct
    return result
