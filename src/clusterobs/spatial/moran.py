"""Global Moran's I: is a measure (an LQ, a growth rate) spatially clustered over regions?

Formula (Moran 1950; Cliff & Ord 1981)::

    I = (n / S0) * sum_i sum_j w_ij z_i z_j / sum_i z_i^2,      z_i = y_i - mean(y)

with **row-standardised** weights (``w_ij = 1 / |N(i)|`` for the neighbours N(i) of i, as in
GeoDa and esda's default), so ``S0 = sum_ij w_ij`` equals the number of regions that have at
least one neighbour. Islands stay in ``n``, the mean and ``sum z^2`` but contribute no cross
products (esda's convention).

Inference (all as computed by ``esda.Moran`` 2.9):

* ``EI = -1 / (n - 1)``;
* ``VI_norm``, ``z_norm``, ``p_norm``: normality assumption, Cliff & Ord (1981, eq. 1.35)
  ``Var = (n^2 S1 - n S2 + 3 S0^2) / ((n^2 - 1) S0^2) - EI^2``; two-sided p;
* ``VI_rand``, ``z_rand``, ``p_rand``: randomisation assumption (Cliff & Ord 1981, eq. 1.38,
  with the sample kurtosis); two-sided p;
* ``p_sim``: ``permutations`` random permutations of the values over the regions (seeded);
  one-sided in the direction of the observed I, ``(larger + 1) / (permutations + 1)`` where
  ``larger`` counts permuted I at least as extreme; ``EI_sim``, ``z_sim`` their mean and z.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from clusterobs.spatial._inputs import (
    DEFAULT_PERMUTATIONS,
    DEFAULT_SEED,
    check_values,
    island_mask,
    seeded,
)
from clusterobs.spatial.weights import SpatialWeights

SOURCE = "Moran (1950), Biometrika 37; Cliff & Ord (1981), Spatial Processes; esda.Moran"


class GlobalMoran:
    """Global Moran's I of ``values`` (aligned with ``weights.ids``); results as attributes."""

    def __init__(
        self,
        values: Sequence[float] | np.ndarray,
        weights: SpatialWeights,
        *,
        permutations: int = DEFAULT_PERMUTATIONS,
        seed: int = DEFAULT_SEED,
    ) -> None:
        import esda

        y = check_values(values, weights)
        self.codes = list(weights.ids)
        self.weights = weights.spec.label
        self.islands = [c for c, i in zip(self.codes, island_mask(weights), strict=True) if i]
        self.permutations = int(permutations)
        self.seed = int(seed)
        with seeded(seed):
            m = esda.Moran(
                y, weights.to_libpysal("r"), transformation="r", permutations=self.permutations
            )
        self.n = int(m.n)
        self.I = float(m.I)
        self.EI = float(m.EI)
        self.VI_norm = float(m.VI_norm)
        self.z_norm = float(m.z_norm)
        self.p_norm = float(m.p_norm)
        self.VI_rand = float(m.VI_rand)
        self.z_rand = float(m.z_rand)
        self.p_rand = float(m.p_rand)
        if self.permutations:
            self.p_sim = float(m.p_sim)
            self.EI_sim = float(m.EI_sim)
            self.z_sim = float(m.z_sim)
        else:
            self.p_sim = self.EI_sim = self.z_sim = float("nan")

    def summary(self) -> dict[str, Any]:
        """The results as a JSON-ready dict."""
        return {
            "statistic": "Moran's I",
            "weights": self.weights,
            "standardisation": "row-standardised",
            "n": self.n,
            "I": self.I,
            "EI": self.EI,
            "VI_norm": self.VI_norm,
            "z_norm": self.z_norm,
            "p_norm": self.p_norm,
            "VI_rand": self.VI_rand,
            "z_rand": self.z_rand,
            "p_rand": self.p_rand,
            "p_sim": None if np.isnan(self.p_sim) else self.p_sim,
            "EI_sim": None if np.isnan(self.EI_sim) else self.EI_sim,
            "z_sim": None if np.isnan(self.z_sim) else self.z_sim,
            "permutations": self.permutations,
            "seed": self.seed,
            "islands": self.islands,
            "source": SOURCE,
        }
