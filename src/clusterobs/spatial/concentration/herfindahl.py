"""Herfindahl(-Hirschman) index of regional shares: how unevenly is employment spread?

Formula (Herfindahl 1950; Hirschman 1964), over the n regions j with shares ``s_j = E_j / E``::

    H = sum_j s_j^2                      (1/n <= H <= 1)
    H* = (H - 1/n) / (1 - 1/n)           normalised to [0, 1]
    equivalent number = 1 / H            regions of equal size giving the same H

Conventions as REAT's ``herf`` (Dörsam 2004 examples: shares (20, 50, 20, 10) give H = 0.34,
H* = 0.12, equivalent number 2.94). H ignores region size: a large region holds a large share of
any industry; for concentration *relative to* total employment use Ellison-Glaeser or the
locational Gini.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from clusterobs.spatial.concentration._shares import employment_vector

SOURCE = "Herfindahl (1950); Hirschman (1964); REAT herf"


class Herfindahl:
    """``H``, ``H_normalised`` and ``equivalent_number`` of the values' shares."""

    def __init__(self, values: Sequence[float] | np.ndarray) -> None:
        v = employment_vector(values)
        s = v / v.sum()
        self.n = int(v.size)
        self.H = float((s**2).sum())
        self.H_normalised = (self.H - 1 / self.n) / (1 - 1 / self.n) if self.n > 1 else 1.0
        self.equivalent_number = 1.0 / self.H
