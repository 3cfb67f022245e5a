"""Getis-Ord Gi*: hot and cold spots, a region together with its neighbours.

Formula (Getis & Ord 1992; Ord & Getis 1995), as computed by ``esda.G_Local(star=True)`` 2.9 on
**binary** weights with the region itself included (``w_ii = 1``)::

    G*_i = sum_j w_ij x_j / sum_j x_j

    z_i = (sum_j w_ij x_j - xbar W_i) / (S sqrt((n W_i - W_i^2) / (n - 1))),
          W_i = sum_j w_ij (neighbours + 1),  xbar = mean(x),  S^2 = sum_j x_j^2 / n - xbar^2

(``z_norm``; esda's ``Zs``; for binary weights ``sum_j w_ij^2 = W_i``). ``p_norm`` is two-sided.
Values must be non-negative (a G statistic is a share of the total; Getis & Ord 1992).

A region is a **hot spot** when ``z_i > 0`` and its permutation test is significant after the
Benjamini-Hochberg correction, a **cold spot** when ``z_i < 0`` and significant. The permutation
test is esda's conditional randomisation (seeded), one-sided in the direction of the observed
value, BH-adjusted as in :mod:`clusterobs.spatial.lisa`. Islands (no neighbour: the region alone)
get no test.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import stats

from clusterobs.spatial import fdr
from clusterobs.spatial._inputs import (
    DEFAULT_PERMUTATIONS,
    DEFAULT_SEED,
    check_values,
    island_mask,
    seeded,
)
from clusterobs.spatial.weights import SpatialWeights

SOURCE = (
    "Getis & Ord (1992), Geographical Analysis 24(3); Ord & Getis (1995), Geographical "
    "Analysis 27(4); esda.G_Local(star=True)"
)
HOT, COLD, NOT_SIGNIFICANT, ISLAND = "hot", "cold", "ns", "island"


class GetisOrdGiStar:
    """Gi* per region (binary weights with self) with BH-controlled permutation inference."""

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
            raise ValueError("Gi* needs permutations for its p-values")
        y = check_values(values, weights)
        if (y < 0).any():
            code = weights.ids[int(np.flatnonzero(y < 0)[0])]
            raise ValueError(
                f"region {code}: Gi* needs non-negative values (a share of the total); use "
                "local Moran for measures that can be negative, such as growth rates"
            )
        self.codes = list(weights.ids)
        self.weights = weights.spec.label
        self.permutations = int(permutations)
        self.alpha = float(alpha)
        self.seed = int(seed)
        islands = island_mask(weights)
        with seeded(seed):
            g = esda.G_Local(
                y,
                weights.to_libpysal("b"),
                transform="B",
                star=True,
                permutations=self.permutations,
                seed=self.seed,
                n_jobs=1,
            )
        self.G = np.asarray(g.Gs, dtype="float64")
        self.z_norm = np.asarray(g.Zs, dtype="float64")
        self.p_norm = 2.0 * stats.norm.sf(np.abs(self.z_norm))
        self.p_sim = np.where(islands, np.nan, np.asarray(g.p_sim, dtype="float64"))
        self.q = fdr.benjamini_hochberg(self.p_sim)
        self.island = islands
        self.significant = np.where(islands, False, self.q <= self.alpha)
        self.label = np.where(
            islands,
            ISLAND,
            np.where(self.significant, np.where(self.z_norm > 0, HOT, COLD), NOT_SIGNIFICANT),
        ).astype(object)

    @property
    def hot(self) -> list[str]:
        return [c for c, lab in zip(self.codes, self.label, strict=True) if lab == HOT]

    def counts(self) -> dict[str, int]:
        labels, counts = np.unique(self.label.astype(str), return_counts=True)
        return {str(k): int(v) for k, v in zip(labels, counts, strict=True)}

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "region_code": c,
                "gi_star": float(self.G[i]),
                "gi_z": float(self.z_norm[i]),
                "gi_p_norm": float(self.p_norm[i]),
                "gi_p_sim": None if not np.isfinite(self.p_sim[i]) else float(self.p_sim[i]),
                "gi_q": None if not np.isfinite(self.q[i]) else float(self.q[i]),
                "gi_class": str(self.label[i]),
            }
            for i, c in enumerate(self.codes)
        ]
