"""Imputation of employment withheld for disclosure (CBP ``empflag`` size classes).

``midpoint`` (default; U.S. Cluster Mapping practice): a suppressed cell gets the midpoint of its
employment-size class — A=10, B=60, C=175, E=375, F=750, G=1,750, H=3,750, I=7,500, J=17,500,
K=37,500, L=75,000, M=100,000. Runs in the engine as one ``CASE`` expression.

``constrained`` (option; in the spirit of Isserman & Westervelt 2006, "1.5 million missing
numbers", and Eckert, Fort, Schott & Yang 2020, who impute CBP so that published totals hold):
the published hierarchy is used top-down. For each published parent (total, sector, 3-, 4-,
5-digit; its own value reported or already imputed) the residual ``R = parent - sum(reported
children)`` is shared among its suppressed children in proportion to their class midpoints, then
each share is clipped to its class bounds (A 0-19 ... M >= 100,000) and the residual left by the
clipped cells is re-shared among the others (up to 10 rounds). So children add up to the parent
whenever the class bounds allow it, and never leave their class. A child's parent is its nearest
published ancestor. Needs a NAICS-style hierarchy (each level one more digit).

Reported and imputed employment are always kept apart: ``employment_reported`` is never changed;
outputs carry ``employment_imputed`` and the method used.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from clusterobs.classifications.naics import SECTOR_OF_TWO_DIGITS
from clusterobs.sources.schema import SIZE_CLASS_BOUNDS, SIZE_CLASS_MIDPOINT

ImputationMethod = Literal["midpoint", "constrained", "source"]
KEY = ["region_code", "region_type", "year"]
MAX_ROUNDS = 10


def _parent_code(codes: pd.Series) -> pd.Series:
    """One level up for bare NAICS codes (``'31'``/``'32'``/``'33'`` -> ``''`` via ``'31'``)."""
    up = codes.str[:-1]
    up = up.where(codes.str.len() > 2, "")
    return up.replace(SECTOR_OF_TWO_DIGITS)


def constrained_imputation(rows: pd.DataFrame) -> pd.DataFrame:
    """Return ``rows`` with ``employment`` filled for suppressed cells (see module docstring).

    ``rows``: ``region_code, region_type, year, industry_code, employment_reported, size_class``
    for every level of the hierarchy (``industry_code == ''`` is the total).
    """
    df = rows.reset_index(drop=True).copy()
    df["industry_code"] = df["industry_code"].astype(str)
    df["level"] = df["industry_code"].str.len()
    cell = df["region_code"].astype(str) + "|" + df["region_type"].astype(str) + "|"
    cell = cell + df["year"].astype(str) + "|"
    present = pd.Index(cell + df["industry_code"])
    # Nearest published ancestor of every row.
    start = np.where(df["level"] > 0, "", None)  # type: ignore[call-overload]  # mixed str/None
    parent = pd.Series(start, index=df.index, dtype="object")
    todo = df["level"] > 0
    candidate = _parent_code(df["industry_code"])
    resolved = pd.Series(False, index=df.index)
    for _ in range(6):
        hit = todo & ~resolved & present.get_indexer(cell + candidate).__ge__(0)
        parent[hit] = candidate[hit]
        resolved |= hit
        left = todo & ~resolved & (candidate != "")
        if not left.any():
            break
        candidate = candidate.where(~left, _parent_code(candidate))
    df["parent_code"] = parent
    mid = df["size_class"].map(SIZE_CLASS_MIDPOINT).astype("float64")
    lo = df["size_class"].map(lambda s: SIZE_CLASS_BOUNDS.get(s, (np.nan, np.nan))[0])
    hi = df["size_class"].map(lambda s: SIZE_CLASS_BOUNDS.get(s, (np.nan, np.nan))[1])
    suppressed = df["employment_reported"].isna() & mid.notna()
    value = df["employment_reported"].astype("float64").copy()
    # The total row, if itself suppressed, takes its midpoint.
    top = suppressed & (df["level"] == 0)
    value[top] = mid[top]
    full = cell + df["industry_code"]
    for parent_level in sorted(df["level"].unique()):
        parents = df.index[df["level"] == parent_level]
        if len(parents) == 0:
            continue
        pkey = pd.Series(value[parents].to_numpy(), index=full[parents].to_numpy())
        kids = df.index[(df["level"] > parent_level) & df["parent_code"].notna()]
        kids = kids[df.loc[kids, "parent_code"].str.len() == parent_level]
        if len(kids) == 0:
            continue
        gkey = (cell[kids] + df.loc[kids, "parent_code"]).to_numpy()
        parent_value = pkey.reindex(gkey).to_numpy()
        sup = suppressed[kids].to_numpy()
        rep = np.where(sup, 0.0, value[kids].fillna(0.0).to_numpy())
        codes, group = np.unique(gkey, return_inverse=True)
        reported_sum = np.bincount(group, weights=rep, minlength=len(codes))
        pv = pd.Series(parent_value).groupby(group).first().to_numpy()
        residual = pv - reported_sum
        m = np.where(sup, mid[kids].to_numpy(), 0.0)
        lo_k, hi_k = lo[kids].to_numpy(), hi[kids].to_numpy()
        x = m.copy()
        fixed = ~sup
        ok = np.isfinite(residual)
        for _ in range(MAX_ROUNDS):
            free = sup & ~fixed
            if not free.any():
                break
            fixed_sum = np.bincount(
                group, weights=np.where(sup & fixed, x, 0.0), minlength=len(codes)
            )
            free_mid = np.bincount(group, weights=np.where(free, m, 0.0), minlength=len(codes))
            rem = residual - fixed_sum
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.where(free_mid > 0, rem / free_mid, np.nan)
            proposal = m * share[group]
            usable = free & ok[group] & np.isfinite(proposal)
            x = np.where(usable, proposal, np.where(free, m, x))
            clipped = usable & ((x < lo_k) | (x > hi_k))
            x = np.where(clipped, np.clip(x, lo_k, hi_k), x)
            if not clipped.any():
                break
            fixed = fixed | clipped
        value[kids[sup]] = x[sup]
    df["employment"] = value
    return df.drop(columns=["level", "parent_code"])
