"""Related clusters: the published U.S. Cluster Mapping relatedness, and co-location from data.

Published relatedness (Delgado, Porter & Stern 2016, "Defining clusters of related industries",
J. Economic Geography 16(1); clustermapping.us "Related Clusters"), read from
``traded_cluster_relatedness_uscmp.csv`` (one row per ordered pair of traded clusters). Rules as
on clustermapping.us:

* ``strong``: combined relatedness percentile ``cr_all_pc >= 90`` **and** the related-industries
  flag ``rel_all_90_v3 = 1`` (the pair shares enough highly related industries);
* ``weaker``: not strong, ``cr_all_pc > 50`` and co-location percentile ``cr_lc_pc >= 25``.

Co-location from the data itself: the Pearson correlation, across regions of one type, of two
clusters' ``lq_traded_local`` in a year. High correlation means the clusters tend to be
over-represented in the same places (Porter 2003, "The economic performance of regions", used
LQ correlation the same way). Convention (decided and pinned by a test): for a pair, the regions
with employment in **at least one** of the two clusters take part, a region without employment
in one of them has LQ 0 there (a true zero: the cluster is absent); regions with employment in
**neither** are left out, since a shared absence would count as co-location. Fewer than
:data:`MIN_REGIONS` such regions give a null correlation.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from clusterobs.sources.errors import InputValidationError

STRONG_PERCENTILE = 90
WEAK_PERCENTILE = 50
WEAK_COLOCATION_PERCENTILE = 25
RELATEDNESS_COLUMNS = ["cluster_code", "cluster_code_2", "rel_all_90_v3", "cr_all_pc", "cr_lc_pc"]


def related_clusters(path_or_frame: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Pairs ``cluster_code, related_cluster_code, relatedness, cr_all_pc, cr_lc_pc`` where
    ``relatedness`` is ``strong`` or ``weaker`` (unrelated pairs and self-pairs dropped)."""
    if isinstance(path_or_frame, pd.DataFrame):
        df, source = path_or_frame.copy(), "<table>"
    else:
        source = str(path_or_frame)
        df = pd.read_csv(path_or_frame, dtype={"cluster_code": str, "cluster_code_2": str})
    for col in RELATEDNESS_COLUMNS:
        if col not in df.columns:
            raise InputValidationError(f"missing column {col!r}", file=source, field=col)
    df = df[df["cluster_code"].astype(str) != df["cluster_code_2"].astype(str)].copy()
    pc = pd.to_numeric(df["cr_all_pc"], errors="coerce")
    lc = pd.to_numeric(df["cr_lc_pc"], errors="coerce")
    flag = pd.to_numeric(df["rel_all_90_v3"], errors="coerce").fillna(0) == 1
    strong = (pc >= STRONG_PERCENTILE) & flag
    weaker = ~strong & (pc > WEAK_PERCENTILE) & (lc >= WEAK_COLOCATION_PERCENTILE)
    df["relatedness"] = np.select([strong, weaker], ["strong", "weaker"], default="")
    out = df[df["relatedness"] != ""]
    return pd.DataFrame(
        {
            "cluster_code": out["cluster_code"].astype(str).to_numpy(),
            "related_cluster_code": out["cluster_code_2"].astype(str).to_numpy(),
            "relatedness": out["relatedness"].to_numpy(),
            "cr_all_pc": pc[out.index].to_numpy(),
            "cr_lc_pc": lc[out.index].to_numpy(),
        }
    )


MIN_REGIONS = 3


def _pairwise_correlation(lq: np.ndarray) -> np.ndarray:
    """Pearson correlation of every pair of columns of ``lq`` (regions x clusters, NaN where a
    region has no employment in the cluster) over the regions present in either column."""
    present = ~np.isnan(lq)
    filled = np.where(present, lq, 0.0)
    n = lq.shape[1]
    out = np.full((n, n), np.nan)
    for a in range(n):
        for b in range(a + 1, n):
            rows = present[:, a] | present[:, b]
            if rows.sum() < MIN_REGIONS:
                continue
            x, y = filled[rows, a], filled[rows, b]
            if x.std() == 0 or y.std() == 0:
                continue
            out[a, b] = out[b, a] = float(np.corrcoef(x, y)[0, 1])
    return out


def colocation(
    cluster_region_year: pd.DataFrame,
    *,
    year: int,
    region_type: str,
    traded_only: bool = True,
    value: str = "lq_traded_local",
) -> pd.DataFrame:
    """Correlation of cluster LQs across regions: long table
    ``cluster_code, related_cluster_code, colocation`` (both orders, no self-pairs)."""
    df = cluster_region_year
    sel = (
        (df["year"] == year)
        & (df["region_type"] == region_type)
        & df["subcluster_code"].isna()
        & (df["employment"] > 0)
    )
    if traded_only:
        sel &= df["traded"].astype(bool)
    wide = df[sel].pivot_table(
        index="region_code", columns="cluster_code", values=value, aggfunc="first"
    )
    corr = pd.DataFrame(
        _pairwise_correlation(wide.to_numpy(dtype="float64")),
        index=pd.Index(wide.columns, name="cluster_code"),
        columns=pd.Index(wide.columns, name="related_cluster_code"),
    )
    long = corr.stack(future_stack=True).rename("colocation").reset_index()
    return long[long["cluster_code"] != long["related_cluster_code"]].reset_index(drop=True)
