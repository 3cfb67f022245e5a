"""Percentile thresholds and ranks within a peer group.

Conventions (pinned by tests):

* Thresholds such as P25(LQ) are computed with linear interpolation between order statistics,
  numpy's ``method="linear"`` (Hyndman & Fan 1996, definition 7; also pandas' default and
  DuckDB's ``quantile_cont``). The peer group is the regions **of the same region type** with
  ``E_cr > 0``, per cluster (or sub-cluster) and year; regions without employment in the cluster
  do not pull the thresholds down.
* Rank percentile: ``percentile = round_half_up(100 * (i + 0.5) / N)`` with ``i`` the 0-based
  ascending rank (ties share the lowest rank) and ``N`` the number of peers with ``E_cr > 0``;
  ``rank`` is 1 for the largest value (as clustermapping.us lists regions). Regions with
  ``E_cr = 0`` get null rank and percentile.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

PEER_KEYS = ["region_type", "cluster_code", "subcluster_code", "year"]


def peer_groups(df: pd.DataFrame, by: Sequence[str] = PEER_KEYS) -> pd.Series:
    """An integer id per peer group (null keys, e.g. no sub-cluster, form their own group)."""
    return df.groupby(list(by), dropna=False, sort=False).ngroup()


def peer_quantile(
    df: pd.DataFrame,
    column: str,
    q: float,
    *,
    by: Sequence[str] = PEER_KEYS,
    peers: pd.Series | None = None,
    group: pd.Series | None = None,
) -> pd.Series:
    """The ``q`` quantile (linear interpolation) of ``column`` among peers, broadcast to rows.

    ``peers`` (bool) selects the rows that form the peer group (default ``employment > 0``);
    every row of the group receives the threshold.
    """
    if group is None:
        group = peer_groups(df, by)
    if peers is None:
        peers = df["employment"] > 0
    values = df[column].astype("float64")
    sub = values[peers & values.notna()]
    thresholds = sub.groupby(group[sub.index]).quantile(q, interpolation="linear")
    return group.map(thresholds).astype("float64")


def rank_percentile(
    df: pd.DataFrame,
    column: str,
    *,
    by: Sequence[str] = PEER_KEYS,
    peers: pd.Series | None = None,
    group: pd.Series | None = None,
) -> tuple[pd.Series, pd.Series]:
    """``(rank, percentile)`` of ``column`` within peers (see module conventions)."""
    if group is None:
        group = peer_groups(df, by)
    if peers is None:
        peers = df["employment"] > 0
    mask = peers & df[column].notna()
    values = df.loc[mask, column].astype("float64")
    g = group[mask]
    ascending = values.groupby(g).rank(method="min", ascending=True) - 1
    descending = values.groupby(g).rank(method="min", ascending=False)
    n = values.groupby(g).transform("size")
    pct = np.floor(100.0 * (ascending + 0.5) / n + 0.5)
    rank = pd.Series(pd.NA, index=df.index, dtype="Int64")
    percentile = pd.Series(pd.NA, index=df.index, dtype="Int64")
    rank[mask] = descending.astype("int64")
    percentile[mask] = pct.astype("int64")
    return rank, percentile
