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
clusters the stars are descriptive only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterobs.mapping.percentiles import peer_groups, peer_quantile

SPECIALISATION_THRESHOLD = 2.0


def add_stars(df: pd.DataFrame, group: pd.Series | None = None) -> pd.DataFrame:
    if group is None:
        group = peer_groups(df)
    peers = df["employment"] > 0
    e90 = peer_quantile(df, "employment", 0.9, peers=peers, group=group).to_numpy()
    s90 = peer_quantile(df, "region_share", 0.9, peers=peers, group=group).to_numpy()
    emp = df["employment"].to_numpy(dtype="float64")
    share = df["region_share"].to_numpy(dtype="float64")
    lq = df["lq_total"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore"):
        df["star_size"] = peers.to_numpy() & (emp >= e90)
        df["star_specialisation"] = peers.to_numpy() & (lq >= SPECIALISATION_THRESHOLD)
        df["star_focus"] = peers.to_numpy() & (share >= s90)
    df["eco_stars"] = (
        df["star_size"].astype("int8")
        + df["star_specialisation"].astype("int8")
        + df["star_focus"].astype("int8")
    )
    return df
