"""Relatedness density of a region to an industry.

Hidalgo, Klinger, Barabasi & Hausmann (2007), "The product space conditions the development of
nations", *Science* 317: 482-487 ("density"); Boschma, Balland & Kogler (2015), "Relatedness
and technological change in cities", *Industrial and Corporate Change* 24(1): 223-250
("relatedness density"); Hausmann et al. (2014), *The Atlas of Economic Complexity*::

    density_rp = sum_p' M_rp' phi_pp' / sum_p' phi_pp'

the proximity-weighted share of the industries related to ``p`` in which region ``r``
specialises: 0 when it specialises in none of them, 1 when in all. The sums run over every
industry including ``p`` itself (``phi_pp = 1``), as in the Atlas and ``ecomplexity``; EconGeo's
``relatedness_density`` computes the same quotient on the relatedness matrix as given (and
reports it x 100). Industries related to nothing (``sum phi = 0``) have a null density.
"""

from __future__ import annotations

import numpy as np

FORMULA = "density_rp = sum_p' M_rp' phi_pp' / sum_p' phi_pp'"
SOURCE = "Hidalgo et al. (2007); Boschma, Balland & Kogler (2015)"


def relatedness_density(presence: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """``density`` (regions x industries) of presence ``M`` over proximity ``phi``."""
    m = np.asarray(presence, dtype=np.float64)
    phi = np.nan_to_num(np.asarray(phi, dtype=np.float64), nan=0.0)
    weight = phi.sum(axis=1)
    out = m @ phi.T
    with np.errstate(divide="ignore", invalid="ignore"):
        out /= weight[None, :]
    return np.asarray(out)
