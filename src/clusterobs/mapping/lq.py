"""Location quotients and employment shares.

Location quotient (Florence 1939; Isard 1960), for cluster ``c`` in region ``r``::

    LQ_cr = (E_cr / E_r) / (E_c,nat / E_nat)

Two denominators are published and both are computed:

``lq_traded_local`` (U.S. Cluster Mapping, Delgado, Porter & Stern 2014, clustermapping.us
methodology): ``E_r`` is the region's *traded* employment for a traded cluster and its *local*
employment for a local cluster (sum of the definition's traded resp. local clusters), and
``E_nat`` the same at national level. This compares a cluster with its own part of the economy.

``lq_total`` (European Cluster Observatory star methodology, Ketels & Protsiv 2014): ``E_r`` is the
region's all-industry total employment (the published total row, CBP ``------``) and ``E_nat``
the national total.

``region_share = E_cr / E_r,total`` and ``national_share = E_cr / E_c,nat``.

National figures are the sum over the input's regions of the same region type, unless the input
supplies national rows (region type ``nation``). Where a denominator is zero the result is null.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _ratio(num: np.ndarray | pd.Series, den: np.ndarray | pd.Series) -> np.ndarray:
    num = np.asarray(num, dtype="float64")
    den = np.asarray(den, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    out[~np.isfinite(out)] = np.nan
    return out


def location_quotient(
    e_cr: np.ndarray | pd.Series,
    e_r: np.ndarray | pd.Series,
    e_c_nat: np.ndarray | pd.Series,
    e_nat: np.ndarray | pd.Series,
) -> np.ndarray:
    """Elementwise ``(e_cr / e_r) / (e_c_nat / e_nat)``; null where a denominator is 0."""
    return _ratio(_ratio(e_cr, e_r), _ratio(e_c_nat, e_nat))


class LocationQuotient:
    """LQ of a regions x industries employment matrix (all-industry denominator).

    Parameters
    ----------
    matrix : array (n_regions, n_industries)
        Employment. Region totals are the row sums and national totals the column sums, as in
        EconGeo's ``location.quotient`` (Balland 2017), whose documented example this reproduces.

    Attributes
    ----------
    lq : ndarray
        The location quotients, shape of ``matrix``.
    binary : ndarray of int
        1 where ``lq >= 1`` (the usual "specialised" cut-off).
    """

    def __init__(self, matrix: np.ndarray | pd.DataFrame) -> None:
        self.index = matrix.index if isinstance(matrix, pd.DataFrame) else None
        self.columns = matrix.columns if isinstance(matrix, pd.DataFrame) else None
        x = np.asarray(matrix, dtype="float64")
        region = x.sum(axis=1, keepdims=True)
        industry = x.sum(axis=0, keepdims=True)
        total = x.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            self.lq = (x / region) / (industry / total)
        self.lq[~np.isfinite(self.lq)] = np.nan
        self.binary = (self.lq >= 1).astype(int)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.lq, index=self.index, columns=self.columns)


def add_shares_and_lqs(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``lq_traded_local, lq_total, region_share, national_share`` to an aggregated table.

    Expects columns ``employment`` (E_cr), ``region_traded_or_local`` (E_Tr: the region's traded
    employment for traded clusters, local for local), ``region_total`` (all-industry),
    ``national_employment`` (E_c,nat), ``national_traded_or_local`` and ``national_total``.
    """
    df["lq_traded_local"] = location_quotient(
        df["employment"],
        df["region_traded_or_local"],
        df["national_employment"],
        df["national_traded_or_local"],
    )
    df["lq_total"] = location_quotient(
        df["employment"], df["region_total"], df["national_employment"], df["national_total"]
    )
    df["region_share"] = _ratio(df["employment"], df["region_total"])
    df["national_share"] = _ratio(df["employment"], df["national_employment"])
    return df
