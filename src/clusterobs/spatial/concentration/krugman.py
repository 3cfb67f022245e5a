"""Krugman specialisation index: how different is a region's industry mix from a reference?

Formula (Krugman 1991, Geography and Trade, app. D; Farhauer & Kröll 2013)::

    K_j = sum_i | s_ij - s_i^ref |,   s_ij = E_ij / sum_i E_ij,   s_i^ref = E_i^ref / sum_i E_i^ref

0 for a region with the reference's mix, 2 for a region with no industry in common with it. The
reference is the nation (sum over regions) unless another region is given (REAT
``krugman.spec``: regions (20, 10, 70, 0, 0) and (0, 0, 0, 60, 40) give 2).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from clusterobs.spatial.concentration._shares import employment_vector

SOURCE = "Krugman (1991), Geography and Trade; Farhauer & Kröll (2013); REAT krugman.spec"


class KrugmanSpecialisation:
    """``K`` of a region's industry vector against a reference vector."""

    def __init__(
        self, region: Sequence[float] | np.ndarray, reference: Sequence[float] | np.ndarray
    ) -> None:
        r = employment_vector(region, "region employment")
        ref = employment_vector(reference, "reference employment")
        if r.size != ref.size:
            raise ValueError("region and reference differ in the number of industries")
        self.n_industries = int(r.size)
        self.K = float(np.abs(r / r.sum() - ref / ref.sum()).sum())
