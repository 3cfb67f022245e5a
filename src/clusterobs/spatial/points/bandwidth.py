"""Silverman's rule-of-thumb bandwidth exactly as R's ``stats::bw.nrd0`` (Duranton & Overman use
Silverman 1986; ``dbmss`` calls ``bw.nrd0``)::

    lo = min(sd(x), IQR(x) / 1.34);  if lo == 0: lo = sd(x), else |x_1|, else 1
    h = 0.9 * lo * n^(-1/5)

``sd`` has the denominator n - 1; ``IQR`` uses R's default quantiles (type 7, linear
interpolation; NumPy's ``method="linear"``). ``binned`` applies the same rule to a histogram of
distances (counts per bin centre): weighted mean and variance, quantiles interpolated linearly on
the histogram's cumulative distribution; it serves the approximate binned mode only.
"""

from __future__ import annotations

import numpy as np


def bw_nrd0(x: np.ndarray) -> float:
    x = np.asarray(x, dtype="float64")
    n = x.size
    if n < 2:
        raise ValueError("the bandwidth needs at least two pair distances")
    hi = float(np.std(x, ddof=1))
    q25, q75 = np.percentile(x, [25.0, 75.0], method="linear")
    lo = min(hi, float(q75 - q25) / 1.34)
    if not lo:
        lo = hi or abs(float(x[0])) or 1.0
    return float(0.9 * lo * n ** (-0.2))


def bw_nrd0_binned(centres: np.ndarray, counts: np.ndarray, edges: np.ndarray) -> float:
    """The rule on a histogram: ``counts`` per bin ``[edges[k], edges[k+1])`` at ``centres``."""
    c = np.asarray(counts, dtype="float64")
    n = c.sum()
    if n < 2:
        raise ValueError("the bandwidth needs at least two pair distances")
    mean = float((c * centres).sum() / n)
    sd = float(np.sqrt((c * (centres - mean) ** 2).sum() / (n - 1)))
    cdf = np.concatenate([[0.0], np.cumsum(c) / n])
    q25, q75 = np.interp([0.25, 0.75], cdf, edges)
    lo = min(sd, float(q75 - q25) / 1.34)
    if not lo:
        lo = sd or abs(float(centres[0])) or 1.0
    return float(0.9 * lo * n ** (-0.2))
