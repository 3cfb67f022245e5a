"""Local Moran (LISA): where are the high-high and low-low clusters and the spatial outliers?

Formula (Anselin 1995, as computed by ``esda.Moran_Local`` 2.9)::

    I_i = (n - 1) * z_i * sum_j w_ij z_j / sum_k z_k^2,    z_i = (y_i - mean(y)) / sd(y)

with row-standardised weights (``sd`` with denominator n; the scale cancels in ``I_i``).

Classes (the quadrant of the Moran scatter plot, value ``z_i`` against its lag ``sum_j w_ij z_j``):
``HH`` high value among high neighbours (a cluster core), ``LL`` low among low, ``HL`` a high
outlier among low neighbours, ``LH`` a low outlier among high ones. A region is shown in its class
only when significant; otherwise ``ns``. Islands have no neighbourhood and get ``island`` (no test).

Inference: conditional permutation (Anselin 1995): the region's value stays, its neighbours are
drawn at random from the other regions, ``permutations`` times (seeded). ``p_sim`` is one-sided
in the direction of the observed ``I_i`` (esda's folded pseudo p-value,
``(larger + 1) / (permutations + 1)``). Because one test runs per region, significance uses the
**Benjamini-Hochberg** false discovery rate: ``q`` are the BH-adjusted ``p_sim`` and a region is
significant when ``q <= alpha`` (:mod:`clusterobs.spatial.fdr`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from clusterobs.spatial import fdr
from clusterobs.spatial._inputs import (
    DEFAULT_PERMUTATIONS,
    DEFAULT_SEED,
    check_values,
    island_mask,
    seeded,
)
from clusterobs.spatial.weights import SpatialWeights

SOURCE = "Anselin (1995), Geographical Analysis 27(2); esda.Moran_Local"
QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
NOT_SIGNIFICANT = "ns"
ISLAND = "island"


class LocalMoran:
    """Local Moran's I per region with BH-controlled permutation inference."""

    def __init__(
        self,
        values: Sequence[float] | np.ndarray,
        weights: SpatialWeights,
        *,
        permutations: int = DEFAULT_PERMUTATIONS,
        alpha: float = 0.05,
        seed: int = DEFAULT_SEED,
    ) -> None:
        import esda

        if not permutations:
            raise ValueError("local Moran needs permutations for its p-values")
        y = check_values(values, weights)
        self.codes = list(weights.ids)
        self.weights = weights.spec.label
        self.permutations = int(permutations)
        self.alpha = float(alpha)
        self.seed = int(seed)
        islands = island_mask(weights)
        with seeded(seed):
            lm = esda.Moran_Local(
                y,
                weights.to_libpysal("r"),
                transformation="r",
                permutations=self.permutations,
                seed=self.seed,
                n_jobs=1,
            )
        self.Is = np.asarray(lm.Is, dtype="float64")
        self.z = np.asarray(lm.z, dtype="float64")
        self.lag = np.asarray(lm.w.sparse @ self.z)
        self.quadrant = np.array([QUADRANTS[int(q)] for q in lm.q], dtype=object)
        self.p_sim = np.where(islands, np.nan, np.asarray(lm.p_sim, dtype="float64"))
        self.z_sim = np.where(islands, np.nan, np.asarray(lm.z_sim, dtype="float64"))
        self.q = fdr.benjamini_hochberg(self.p_sim)
        self.island = islands
        self.significant = np.where(islands, False, self.q <= self.alpha)
        self.label = np.where(
            islands, ISLAND, np.where(self.significant, self.quadrant, NOT_SIGNIFICANT)
        ).astype(object)

    def counts(self) -> dict[str, int]:
        labels, counts = np.unique(self.label.astype(str), return_counts=True)
        return {str(k): int(v) for k, v in zip(labels, counts, strict=True)}

    def rows(self) -> list[dict[str, Any]]:
        """One dict per region."""
        return [
            {
                "region_code": c,
                "lisa_I": float(self.Is[i]),
                "lisa_z": float(self.z[i]),
                "lisa_lag": float(self.lag[i]),
                "lisa_quadrant": str(self.quadrant[i]),
                "lisa_p_sim": _num(self.p_sim[i]),
                "lisa_q": _num(self.q[i]),
                "lisa_class": str(self.label[i]),
            }
            for i, c in enumerate(self.codes)
        ]


def _num(v: float) -> float | None:
    return None if not np.isfinite(v) else float(v)
