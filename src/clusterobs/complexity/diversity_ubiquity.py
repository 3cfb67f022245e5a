"""Diversity and ubiquity: the zeroth reflections of the presence matrix.

Hidalgo & Hausmann (2009), "The building blocks of economic complexity", *PNAS* 106(26):
10570-10575::

    diversity_r = k_r,0 = sum_p M_rp      (industries in which region r specialises)
    ubiquity_p  = k_p,0 = sum_r M_rp      (regions specialised in industry p)
"""

from __future__ import annotations

import numpy as np

FORMULA = "diversity_r = sum_p M_rp; ubiquity_p = sum_r M_rp"
SOURCE = "Hidalgo & Hausmann (2009)"


def diversity(presence: np.ndarray) -> np.ndarray:
    """Number of industries with ``M_rp = 1`` per region (int64)."""
    return np.asarray(np.asarray(presence, dtype=bool).sum(axis=1), dtype=np.int64)


def ubiquity(presence: np.ndarray) -> np.ndarray:
    """Number of regions with ``M_rp = 1`` per industry (int64)."""
    return np.asarray(np.asarray(presence, dtype=bool).sum(axis=0), dtype=np.int64)
