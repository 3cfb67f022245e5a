"""Gini coefficients: of regional shares, and the locational Gini of location quotients.

**Gini of shares** (the Lorenz curve of the values sorted ascending; REAT ``gini``)::

    Y_k = cumulative share of the k smallest values (Y_0 = 0)
    G = 1 - (1/n) sum_k (Y_{k-1} + Y_k)             (trapezoids under the Lorenz curve)
    G* = G n / (n - 1)                               normalised to [0, 1]

With class sizes ``f_k`` (grouped data, e.g. income classes) the trapezoids are weighted by the
class's share of the population, ``G = 1 - sum_k (Y_{k-1} + Y_k) f_k / sum f``, and ``Y`` is the
cumulative share of ``value x size``. Dörsam (2004) examples: (20, 50, 20, 10) -> 0.3, G* 0.4.

**Locational Gini** (Krugman 1991; the "Gini coefficient of industry concentration" of
Farhauer & Kröll 2013, REAT ``gini.conc``): the Gini of the location quotients
``LQ_j = (E_ij / E_i) / (E_j / E)`` across the regions::

    G = 2 / (n^2 mean(LQ)) * sum_k k (LQ_(k) - mean(LQ)),    LQ sorted ascending, k = 1..n

0 when the industry is spread like total employment; it grows with concentration relative to it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from clusterobs.spatial.concentration._shares import employment_vector

SOURCE = "Gini (1912); Krugman (1991), Geography and Trade; Farhauer & Kröll (2013); REAT"


class Gini:
    """Gini coefficient of the values' shares (optionally of grouped data with class sizes)."""

    def __init__(
        self, values: Sequence[float] | np.ndarray, sizes: Sequence[float] | None = None
    ) -> None:
        v = employment_vector(values)
        self.n = int(v.size)
        if sizes is None:
            order = np.argsort(v, kind="stable")
            y = np.cumsum(v[order]) / v.sum()
            prev = np.concatenate([[0.0], y[:-1]])
            self.G = float(1.0 - (prev + y).sum() / self.n)
        else:
            f = employment_vector(sizes, "class size")
            if f.size != v.size:
                raise ValueError("values and class sizes differ in length")
            order = np.argsort(v, kind="stable")
            vf = v[order] * f[order]
            y = np.cumsum(vf) / vf.sum()
            prev = np.concatenate([[0.0], y[:-1]])
            self.G = float(1.0 - ((prev + y) * f[order] / f.sum()).sum())
        self.G_normalised = self.G * self.n / (self.n - 1) if self.n > 1 else 0.0


class LocationalGini:
    """Gini of the location quotients of an industry over regions."""

    def __init__(
        self,
        industry: Sequence[float] | np.ndarray,
        totals: Sequence[float] | np.ndarray,
    ) -> None:
        e = employment_vector(industry, "industry employment")
        t = employment_vector(totals, "regional total employment")
        if e.size != t.size:
            raise ValueError("industry and total employment differ in length")
        if (t == 0).any():
            raise ValueError("a region with zero total employment has no location quotient")
        lq = (e / e.sum()) / (t / t.sum())
        lq = np.sort(lq)
        n = lq.size
        mean = lq.mean()
        k = np.arange(1, n + 1)
        self.n = int(n)
        self.location_quotients = lq
        self.G = float(2.0 / (n**2 * mean) * (k * (lq - mean)).sum())
