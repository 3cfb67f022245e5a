"""Maurel-Sedillot gamma: the Ellison-Glaeser idea with a different estimator of G.

Formula (Maurel & Sédillot 1999, eq. 8)::

    G_MS  = (sum_j s_j^2 - sum_j x_j^2) / (1 - sum_j x_j^2)
    gamma = (G_MS - H) / (1 - H)

with ``s_j`` the industry's regional shares, ``x_j`` the regions' shares of aggregate employment
and ``H`` the plant Herfindahl, as in :mod:`.ellison_glaeser`. It is derived from the same
location model (gamma is the probability that two plants' locations are jointly chosen) but
estimates it from pairs of workers; EG and MS agree in expectation and differ in small samples.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from clusterobs.spatial.concentration._shares import employment_vector

SOURCE = "Maurel & Sédillot (1999), Regional Science and Urban Economics 29(5)"


class MaurelSedillot:
    """gamma and G_MS of one industry over regions."""

    def __init__(
        self,
        industry: Sequence[float] | np.ndarray,
        totals: Sequence[float] | np.ndarray,
        *,
        plant_herfindahl: float,
        H_method: str = "given",  # noqa: N803 -- the paper's symbol
    ) -> None:
        e = employment_vector(industry, "industry employment")
        t = employment_vector(totals, "regional total employment")
        if e.size != t.size:
            raise ValueError("industry and total employment differ in length")
        if not 0 <= plant_herfindahl < 1:
            raise ValueError("the plant Herfindahl must lie in [0, 1) (one plant: undefined)")
        s, x = e / e.sum(), t / t.sum()
        sx2 = float((x**2).sum())
        self.n_regions = int(e.size)
        self.G = float(((s**2).sum() - sx2) / (1 - sx2))
        self.H = float(plant_herfindahl)
        self.H_method = H_method
        self.gamma = (self.G - self.H) / (1 - self.H)
