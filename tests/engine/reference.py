"""Plain pandas/numpy reference implementations of the engine's statistics, for checking only.

The engine has one implementation of each formula (Ibis expressions in
``clusterobs.mapping``); these are written independently, in the textbook form, and the tests
compare the two side by side. They are never imported by the product.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PEER_KEYS = ["region_type", "cluster_code", "subcluster_code", "year"]
FLAGS = ("qualifying", "significant", "strong", "strong10")


def _ratio(num, den) -> np.ndarray:
    num = np.asarray(num, dtype="float64")
    den = np.asarray(den, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    out[~np.isfinite(out)] = np.nan
    return out


def location_quotient(e_cr, e_r, e_c_nat, e_nat) -> np.ndarray:
    """Elementwise ``(e_cr / e_r) / (e_c_nat / e_nat)``; null where a denominator is 0."""
    return _ratio(_ratio(e_cr, e_r), _ratio(e_c_nat, e_nat))


class LocationQuotient:
    """LQ of a regions x industries matrix: row sums as region totals, column sums as national
    totals (EconGeo's ``location.quotient``, Balland 2017)."""

    def __init__(self, matrix) -> None:
        x = np.asarray(matrix, dtype="float64")
        region = x.sum(axis=1, keepdims=True)
        industry = x.sum(axis=0, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.lq = (x / region) / (industry / x.sum())
        self.lq[~np.isfinite(self.lq)] = np.nan


def peer_groups(df: pd.DataFrame, by=PEER_KEYS) -> pd.Series:
    return df.groupby(list(by), dropna=False, sort=False).ngroup()


def peer_quantile(df, column, q, *, by=PEER_KEYS, peers=None, group=None) -> pd.Series:
    """numpy ``method="linear"`` quantile of ``column`` among peers, broadcast to rows."""
    if group is None:
        group = peer_groups(df, by)
    if peers is None:
        peers = df["employment"] > 0
    values = df[column].astype("float64")
    sub = values[peers & values.notna()]
    thresholds = sub.groupby(group[sub.index]).quantile(q, interpolation="linear")
    return group.map(thresholds).astype("float64")


def rank_percentile(df, column, *, by=PEER_KEYS, peers=None, group=None):
    """``(rank, percentile)``: rank 1 = largest; percentile round_half_up(100 (i+0.5)/N)."""
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


def add_strength_flags(df: pd.DataFrame, *, establishments_test: bool = True) -> pd.DataFrame:
    """U.S. Cluster Mapping flags (traded only), written from the published rule."""
    group = peer_groups(df)
    peers = df["employment"] > 0

    def q(col, p):
        return peer_quantile(df, col, p, peers=peers, group=group).to_numpy()

    lq = df["lq_traded_local"].to_numpy(dtype="float64")
    emp = df["employment"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore"):
        size_ok = emp > q("employment", 0.25)
        if establishments_test:
            est = df["establishments"].to_numpy(dtype="float64")
            size_ok &= est > q("establishments", 0.25)
        flags = {
            "qualifying": (lq > q("lq_traded_local", 0.25)) & size_ok,
            "significant": (lq > q("lq_traded_local", 0.5)) & size_ok,
            "strong": (lq >= q("lq_traded_local", 0.75)) & (lq >= 1) & size_ok,
            "strong10": (lq >= q("lq_traded_local", 0.9)) & (lq >= 1) & size_ok,
        }
    traded = df["traded"].to_numpy(dtype=bool)
    for name, values in flags.items():
        col = pd.array(values, dtype="boolean")
        col[~traded] = pd.NA
        df[name] = col
    return df


def add_stars(df: pd.DataFrame) -> pd.DataFrame:
    """European Cluster Observatory stars, written from the published rule."""
    group = peer_groups(df)
    peers = df["employment"] > 0
    e90 = peer_quantile(df, "employment", 0.9, peers=peers, group=group).to_numpy()
    s90 = peer_quantile(df, "region_share", 0.9, peers=peers, group=group).to_numpy()
    emp = df["employment"].to_numpy(dtype="float64")
    share = df["region_share"].to_numpy(dtype="float64")
    lq = df["lq_total"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore"):
        df["star_size"] = peers.to_numpy() & (emp >= e90)
        df["star_specialisation"] = peers.to_numpy() & (lq >= 2.0)
        df["star_focus"] = peers.to_numpy() & (share >= s90)
    df["eco_stars"] = (
        df["star_size"].astype("int8")
        + df["star_specialisation"].astype("int8")
        + df["star_focus"].astype("int8")
    )
    return df


def cagr(start, end, years: int) -> np.ndarray:
    s = np.asarray(start, dtype="float64")
    e = np.asarray(end, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.power(e / s, 1.0 / years) - 1.0
    out[~(s > 0) | ~np.isfinite(out)] = np.nan
    return out


def _growth(end, start) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.asarray(end, dtype="float64") / np.asarray(start, dtype="float64") - 1.0
    g[~np.isfinite(g)] = np.nan
    return g


def dunn(e_cr0, e_cr1, e_c_nat0, e_c_nat1, e_nat0, e_nat1) -> dict[str, np.ndarray]:
    """Dunn (1960) components, textbook form."""
    e0 = np.asarray(e_cr0, dtype="float64")
    e1 = np.asarray(e_cr1, dtype="float64")
    g_nat = _growth(e_nat1, e_nat0)
    g_c = _growth(e_c_nat1, e_c_nat0)
    return {
        "national_share": e0 * g_nat,
        "industry_mix": e0 * (g_c - g_nat),
        "regional_share": e1 - e0 * (1.0 + g_c),
    }


def esteban_marquillas(e_cr0, e_cr1, e_r0, e_c_nat0, e_c_nat1, e_nat0) -> dict[str, np.ndarray]:
    e0 = np.asarray(e_cr0, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        homothetic = np.asarray(e_r0, dtype="float64") * np.asarray(e_c_nat0) / np.asarray(e_nat0)
    diff = _growth(e_cr1, e0) - _growth(e_c_nat1, e_c_nat0)
    return {"competitive": homothetic * diff, "allocation": (e0 - homothetic) * diff}


class ShiftShare:
    """Dunn shift-share of one region's industries (vectors) with region totals."""

    def __init__(self, region_start, region_end, nation_start, nation_end) -> None:
        r0, r1 = np.asarray(region_start, float), np.asarray(region_end, float)
        n0, n1 = np.asarray(nation_start, float), np.asarray(nation_end, float)
        t0, t1 = n0.sum(), n1.sum()
        parts = dunn(r0, r1, n0, n1, np.full_like(r0, t0), np.full_like(r0, t1))
        self.national_share = parts["national_share"]
        self.industry_mix = parts["industry_mix"]
        self.regional_share = parts["regional_share"]
        self.NS = float(self.national_share.sum())
        self.IM = float(self.industry_mix.sum())
        self.RS = float(self.regional_share.sum())
        self.growth = float(r1.sum() - r0.sum())
