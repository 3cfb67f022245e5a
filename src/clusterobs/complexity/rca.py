"""Revealed comparative advantage (RCA) and the presence matrix M.

Balassa (1965), "Trade liberalisation and revealed comparative advantage", *The Manchester
School* 33: 99-123; on employment it is the location quotient (Florence 1939)::

    RCA_rp = (E_rp / E_r) / (E_p / E)

``E_rp`` employment of industry ``p`` in region ``r``; ``E_r`` the region's total employment;
``E_p`` the industry's national employment (sum over the regions of the type); ``E`` the
national total. The presence (specialisation) matrix of the complexity literature
(Hidalgo & Hausmann 2009) is::

    M_rp = 1 if RCA_rp >= threshold else 0        (threshold 1 by default)

Totals: by default ``E_r`` and ``E`` are the matrix's own row and grand sums (the matrix of
detailed industries *is* total employment; this is also EconGeo's ``location_quotient`` and
``ecomplexity``'s RCA). When the matrix covers part of the economy only (clusters), the
regions' all-industry totals are given and ``E`` is their sum, which is the mapping engine's
``lq_total`` (European Cluster Observatory convention).

Where ``E_r`` is 0 the RCA is undefined; such regions never reach this module (see
:mod:`clusterobs.complexity.matrix`).
"""

from __future__ import annotations

import numpy as np

THRESHOLD = 1.0
FORMULA = "RCA_rp = (E_rp / E_r) / (E_p / E); M_rp = 1 if RCA_rp >= threshold"
SOURCE = "Balassa (1965); the location quotient on total employment"
PRESENCE_TESTS = ("rca",)


class RevealedComparativeAdvantage:
    """RCA of an employment matrix and its presence matrix.

    Parameters
    ----------
    employment : ndarray (regions, industries)
    region_totals : ndarray (regions,), optional
        All-industry totals ``E_r``; default the row sums.
    threshold : float
        ``M = RCA >= threshold``.

    Attributes
    ----------
    rca : ndarray of float64
    presence : ndarray of bool (``M``)
    """

    def __init__(
        self,
        employment: np.ndarray,
        *,
        region_totals: np.ndarray | None = None,
        threshold: float = THRESHOLD,
    ) -> None:
        e = np.asarray(employment, dtype=np.float64)
        e_r = e.sum(axis=1) if region_totals is None else np.asarray(region_totals, np.float64)
        e_p = e.sum(axis=0)
        total = e_r.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            region_share = e / e_r[:, None]
            national_share = e_p / total
            self.rca = region_share / national_share[None, :]
        self.threshold = float(threshold)
        self.presence = self.rca >= self.threshold
