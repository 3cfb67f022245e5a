"""Proximity (relatedness) between industries: from the data, or from a given table.

From the data -- Hidalgo, Klinger, Barabasi & Hausmann (2007), "The product space conditions the
development of nations", *Science* 317: 482-487. Two industries are close when regions that
specialise in one tend to specialise in the other; the minimum of the two conditional
probabilities keeps the measure symmetric and penalises pairs where one industry is ubiquitous::

    phi_pp' = min( P(M_rp = 1 | M_rp' = 1), P(M_rp' = 1 | M_rp = 1) )
            = sum_r M_rp M_rp' / max(k_p, k_p')

with ``k_p`` the ubiquity. The diagonal is 1 (an industry is fully related to itself), as in
the formula and in ``ecomplexity``.

From a table -- any list of industry pairs with a proximity value (``industry_code,
related_industry_code, proximity``). Pairs not listed are unrelated (0); the diagonal is set to
1; a pair given in one direction only is used for both (``symmetric=True``). The published U.S.
Cluster Mapping relatedness of traded clusters (Delgado, Porter & Stern 2016, "Defining
clusters of related industries", *J. Economic Geography* 16(1)) is read by
:func:`uscmp_relatedness`: ``proximity = 1`` for pairs clustermapping.us calls related (strong
or weaker, the rules of :mod:`clusterobs.mapping.relatedness`, reused), 0 otherwise; with
``weights="percentile"`` the combined relatedness percentile ``cr_all_pc / 100`` of every pair.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from clusterobs.mapping.relatedness import RELATEDNESS_COLUMNS, related_clusters
from clusterobs.sources.errors import InputValidationError

PROXIMITY_COLUMNS = ["industry_code", "related_industry_code", "proximity"]
UscmpWeights = Literal["related", "percentile"]
FORMULA = "phi_pp' = sum_r M_rp M_rp' / max(k_p, k_p'); phi_pp = 1"
SOURCE = "Hidalgo, Klinger, Barabasi & Hausmann (2007)"


def proximity(presence: np.ndarray) -> np.ndarray:
    """``phi`` (industries x industries, float64) of a presence matrix; null rows and columns
    for industries with ubiquity 0."""
    m = np.asarray(presence, dtype=np.float32)
    # Co-occurrence counts are integers below 2**24: exact in single precision, twice as fast.
    co = (m.T @ m).astype(np.float64)
    k = np.diag(co).copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = co / np.maximum(k[:, None], k[None, :])
    empty = k == 0
    phi[empty, :] = np.nan
    phi[:, empty] = np.nan
    return phi


def proximity_from_table(
    table: pd.DataFrame,
    industries: pd.Index,
    *,
    symmetric: bool = True,
    source: str = "<table>",
) -> np.ndarray:
    """A proximity matrix aligned on ``industries`` from a long table (see module docstring).

    Industries of the matrix missing from the table are related to nothing but themselves;
    pairs naming codes outside ``industries`` are ignored (they are not in this matrix).
    """
    for col in PROXIMITY_COLUMNS:
        if col not in table.columns:
            raise InputValidationError(f"missing column {col!r}", file=source, field=col)
    values = pd.to_numeric(table["proximity"], errors="coerce")
    bad = values.isna() | (values < 0)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 1
        raise InputValidationError(
            "proximity must be a number >= 0", file=source, row=row, field="proximity"
        )
    pos = pd.Series(np.arange(len(industries)), index=industries.astype(str))
    i = pos.reindex(table["industry_code"].astype(str)).to_numpy()
    j = pos.reindex(table["related_industry_code"].astype(str)).to_numpy()
    ok = ~(np.isnan(i) | np.isnan(j))
    n = len(industries)
    phi = np.zeros((n, n))
    ii, jj, vv = i[ok].astype(int), j[ok].astype(int), values.to_numpy()[ok]
    phi[ii, jj] = vv
    if symmetric:
        given = np.zeros((n, n), dtype=bool)
        given[ii, jj] = True
        phi = np.where(given, phi, phi.T)
    np.fill_diagonal(phi, 1.0)
    return phi


def uscmp_relatedness(
    path: str | Path,
    *,
    clusters: pd.DataFrame | None = None,
    weights: UscmpWeights = "related",
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The U.S. Cluster Mapping traded-cluster relatedness as a proximity table.

    ``clusters`` (``cluster_code, cluster_name``) are the clusters of the data. The published
    table numbers clusters like the 2014+ definitions; other definitions number them
    differently, so clusters are matched by *name* (case-insensitive) when ``clusters`` is
    given, and unmatched ones are left out. Returns the table (``industry_code`` =
    the data's cluster code) and the mapping used (published code -> data code).
    """
    raw = pd.read_csv(path, dtype={"cluster_code": str, "cluster_code_2": str})
    for col in [*RELATEDNESS_COLUMNS, "cluster_name", "cluster_name_2"]:
        if col not in raw.columns:
            raise InputValidationError(f"missing column {col!r}", file=path, field=col)
    names = raw[["cluster_code", "cluster_name"]].drop_duplicates()
    if clusters is not None:
        by_name = {
            str(n).strip().lower(): str(c)
            for c, n in zip(clusters["cluster_code"], clusters["cluster_name"], strict=True)
        }
        code_map = {
            str(c): by_name[str(n).strip().lower()]
            for c, n in names.itertuples(index=False)
            if str(n).strip().lower() in by_name
        }
    else:
        code_map = {str(c): str(c) for c in names["cluster_code"]}
    if weights == "percentile":
        pairs = raw[raw["cluster_code"] != raw["cluster_code_2"]]
        table = pd.DataFrame(
            {
                "industry_code": pairs["cluster_code"].astype(str),
                "related_industry_code": pairs["cluster_code_2"].astype(str),
                "proximity": pd.to_numeric(pairs["cr_all_pc"], errors="coerce") / 100.0,
            }
        )
    elif weights == "related":
        rel = related_clusters(raw)
        table = pd.DataFrame(
            {
                "industry_code": rel["cluster_code"].astype(str),
                "related_industry_code": rel["related_cluster_code"].astype(str),
                "proximity": 1.0,
            }
        )
    else:
        raise ValueError(f"weights must be 'related' or 'percentile', got {weights!r}")
    table["industry_code"] = table["industry_code"].map(code_map)
    table["related_industry_code"] = table["related_industry_code"].map(code_map)
    table = table.dropna(subset=["industry_code", "related_industry_code", "proximity"])
    return table.reset_index(drop=True), code_map


def read_proximity_table(path: str | Path) -> pd.DataFrame:
    """A user's proximity table (CSV or Parquet with :data:`PROXIMITY_COLUMNS`); codes text."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if path.suffix == ".parquet":
        df = pd.read_parquet(path)
    else:
        df = pd.read_csv(path, dtype={"industry_code": str, "related_industry_code": str})
    for col in PROXIMITY_COLUMNS:
        if col not in df.columns:
            raise InputValidationError(f"missing column {col!r}", file=path, field=col)
    return df
