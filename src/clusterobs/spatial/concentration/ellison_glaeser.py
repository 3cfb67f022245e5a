"""Ellison-Glaeser gamma: geographic concentration beyond what a dartboard would give.

Formula (Ellison & Glaeser 1997, eq. 5), for an industry over regions j::

    G = sum_j (s_j - x_j)^2
    gamma = (G - (1 - sum_j x_j^2) H) / ((1 - sum_j x_j^2) (1 - H))

``s_j`` is the industry's share of its employment in region j, ``x_j`` region j's share of
aggregate employment (all industries of the result: the engine's region totals), ``H`` the plant
Herfindahl of the industry (:mod:`.plant_herfindahl`; the method is named in ``H_method``).
gamma = 0 under the dartboard (plants located at random in proportion to ``x``); gamma > 0
concentration beyond the plant structure; EG read gamma > 0.05 as highly concentrated and
< 0.02 as not very concentrated.

When plant sizes are known (``from_plants``) the z statistic of G under the dartboard is given as
in REAT's ``ellison.a`` (EG 1997, appendix)::

    Var(G) = 2 { H^2 [sum x^2 - 2 sum x^3 + (sum x^2)^2]
                 - sum_k z_k^4 [sum x^2 - 4 sum x^3 + 3 (sum x^2)^2] }
    z_G = (G - (1 - sum x^2) H) / sqrt(Var(G))

REAT example (Farhauer & Kröll 2014): ten plants in Wien/Linz/Graz give gamma = 0.05990628.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from clusterobs.spatial.concentration import plant_herfindahl
from clusterobs.spatial.concentration._shares import employment_vector

SOURCE = "Ellison & Glaeser (1997), Journal of Political Economy 105(5); REAT ellison.a"


class EllisonGlaeser:
    """gamma, G and the plant Herfindahl H of one industry over regions."""

    def __init__(
        self,
        industry: Sequence[float] | np.ndarray,
        totals: Sequence[float] | np.ndarray,
        *,
        plant_herfindahl: float,
        H_method: str = "given",  # noqa: N803 -- the paper's symbol
        sum_z4: float | None = None,
    ) -> None:
        e = employment_vector(industry, "industry employment")
        t = employment_vector(totals, "regional total employment")
        if e.size != t.size:
            raise ValueError("industry and total employment differ in length")
        if not 0 <= plant_herfindahl < 1:
            raise ValueError("the plant Herfindahl must lie in [0, 1) (one plant: undefined)")
        s, x = e / e.sum(), t / t.sum()
        h = float(plant_herfindahl)
        sx2 = float((x**2).sum())
        self.n_regions = int(e.size)
        self.G = float(((s - x) ** 2).sum())
        self.H = h
        self.H_method = H_method
        self.sum_x2 = sx2
        self.gamma = (self.G - (1 - sx2) * h) / ((1 - sx2) * (1 - h))
        self.z_G: float | None = None
        if sum_z4 is not None:
            sx3 = float((x**3).sum())
            var = 2 * (h**2 * (sx2 - 2 * sx3 + sx2**2) - sum_z4 * (sx2 - 4 * sx3 + 3 * sx2**2))
            self.z_G = (self.G - (1 - sx2) * h) / np.sqrt(var) if var > 0 else None

    @classmethod
    def from_plants(
        cls,
        plant_employment: Sequence[float],
        plant_region: Sequence[str],
        region_totals: dict[str, float] | pd.Series,
    ) -> EllisonGlaeser:
        """Plant-level data (as REAT's ``ellison.a``): each plant's employment and region, and
        every region's total employment (regions without a plant count with zero)."""
        emp = employment_vector(plant_employment, "plant employment")
        totals = pd.Series(region_totals, dtype="float64")
        regions = pd.Series(list(plant_region), dtype="string")
        if len(regions) != emp.size:
            raise ValueError("plant employment and plant regions differ in length")
        unknown = sorted(set(regions) - set(totals.index.astype(str)))
        if unknown:
            raise ValueError(f"plants in regions without a total: {', '.join(unknown)}")
        by_region = pd.Series(emp, index=regions.to_numpy()).groupby(level=0).sum()
        industry = by_region.reindex(totals.index.astype(str), fill_value=0.0)
        z = emp / emp.sum()
        return cls(
            industry.to_numpy(),
            totals.to_numpy(),
            plant_herfindahl=plant_herfindahl.from_plants(emp),
            H_method="plants",
            sum_z4=float((z**4).sum()),
        )
