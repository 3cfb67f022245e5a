"""U.S. Cluster Mapping strength flags and the region's cluster strength.

Source: U.S. Cluster Mapping (clustermapping.us) methodology, "Cluster Strength" and "Strong
Clusters"; Delgado, Porter & Stern (2014), "Clusters, convergence, and economic performance",
Research Policy 43(10). For **traded** clusters only (local clusters get null flags), with
``LQ = lq_traded_local`` and percentiles P over regions of the same type with ``E_cr > 0``, per
cluster and year (linear interpolation, see :mod:`clusterobs.mapping.percentiles`)::

    size_ok     = E_cr > P25(E)  and  establishments_cr > P25(establishments)
    qualifying  = LQ >  P25(LQ)                 and size_ok
    significant = LQ >  P50(LQ)                 and size_ok
    strong      = LQ >= P75(LQ) and LQ >= 1     and size_ok
    strong10    = LQ >= P90(LQ) and LQ >= 1     and size_ok

Region cluster strength = employment in strong traded clusters / traded employment of the region
(cluster level; sub-cluster flags are reported but not summed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterobs.mapping.percentiles import peer_groups, peer_quantile

FLAGS = ("qualifying", "significant", "strong", "strong10")


def add_strength_flags(df: pd.DataFrame, group: pd.Series | None = None) -> pd.DataFrame:
    """Add boolean ``qualifying, significant, strong, strong10`` (null for local clusters)."""
    if group is None:
        group = peer_groups(df)
    peers = df["employment"] > 0
    q = {}
    for name, col, p in (
        ("lq25", "lq_traded_local", 0.25),
        ("lq50", "lq_traded_local", 0.5),
        ("lq75", "lq_traded_local", 0.75),
        ("lq90", "lq_traded_local", 0.9),
        ("e25", "employment", 0.25),
        ("est25", "establishments", 0.25),
    ):
        q[name] = peer_quantile(df, col, p, peers=peers, group=group).to_numpy()
    lq = df["lq_traded_local"].to_numpy(dtype="float64")
    emp = df["employment"].to_numpy(dtype="float64")
    est = df["establishments"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore"):
        size_ok = (emp > q["e25"]) & (est > q["est25"])
        flags = {
            "qualifying": (lq > q["lq25"]) & size_ok,
            "significant": (lq > q["lq50"]) & size_ok,
            "strong": (lq >= q["lq75"]) & (lq >= 1) & size_ok,
            "strong10": (lq >= q["lq90"]) & (lq >= 1) & size_ok,
        }
    traded = df["traded"].to_numpy(dtype=bool)
    for name, values in flags.items():
        col = pd.array(values, dtype="boolean")
        col[~traded] = pd.NA
        df[name] = col
    return df


def cluster_strength(cluster_level: pd.DataFrame, region_year: pd.DataFrame) -> pd.Series:
    """Share of the region's traded employment in its strong traded clusters.

    ``cluster_level`` has one row per region, cluster, year (no sub-clusters); the result is
    aligned to ``region_year`` (keys ``region_code, region_type, year``).
    """
    keys = ["region_code", "region_type", "year"]
    strong = cluster_level["strong"].fillna(False).astype(bool) & cluster_level["traded"]
    emp = cluster_level["employment"].where(strong, 0.0)
    strong_emp = emp.groupby([cluster_level[k] for k in keys]).sum()
    idx = pd.MultiIndex.from_frame(region_year[keys])
    num = strong_emp.reindex(idx).fillna(0.0).to_numpy()
    den = region_year["traded_employment"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num / den, np.nan)
    return pd.Series(out, index=region_year.index)
