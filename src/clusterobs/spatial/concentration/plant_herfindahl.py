"""The plant Herfindahl ``H = sum_k z_k^2`` (``z_k``: plant k's share of industry employment).

Ellison-Glaeser and Maurel-Sedillot net out the concentration that a few large plants create by
themselves; they need H. Three ways to get it, always named in the output (``method``):

* ``plants``: from plant-level employment (establishment points with an employment weight);
* ``size_classes``: from counts of establishments by employment size class (County Business
  Patterns county files publish ``n1_4 ... n1000``): every plant of a class is given the class
  midpoint (``CBP_SIZE_CLASSES``; the open top class 1,000+ its lower bound x 1.5, a stated
  assumption), ``H = sum_c n_c m_c^2 / (sum_c n_c m_c)^2``;
* ``equal_within_region`` (the **stated approximation** when a source has only employment and
  establishment counts per region, as the state CBP behind the mapping results): plants are
  taken as equal-sized within each region, ``H = sum_j E_j^2 / N_j / E^2``. Unequal sizes can only
  raise H, so this is a **lower bound** of the true plant Herfindahl, and the gammas computed with
  it are upper bounds (gamma falls as H rises).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from clusterobs.spatial.concentration._shares import employment_vector

#: CBP establishment size classes (employees): column -> (lower, upper, midpoint).
CBP_SIZE_CLASSES: dict[str, tuple[float, float | None, float]] = {
    "n1_4": (1, 4, 2.5),
    "n5_9": (5, 9, 7.0),
    "n10_19": (10, 19, 14.5),
    "n20_49": (20, 49, 34.5),
    "n50_99": (50, 99, 74.5),
    "n100_249": (100, 249, 174.5),
    "n250_499": (250, 499, 374.5),
    "n500_999": (500, 999, 749.5),
    "n1000": (1000, None, 1500.0),
}

METHODS = {
    "plants": "plant-level employment",
    "size_classes": "establishment size classes at class midpoints (1,000+: 1,500)",
    "equal_within_region": "approximation: equal-sized plants within each region (a lower "
    "bound of the plant Herfindahl; gamma is then an upper bound)",
}


def from_plants(employment: Sequence[float] | np.ndarray) -> float:
    e = employment_vector(employment, "plant employment")
    z = e / e.sum()
    return float((z**2).sum())


def from_size_classes(
    counts: Mapping[str, float], classes: Mapping[str, tuple[Any, ...]] = CBP_SIZE_CLASSES
) -> float:
    """H from establishment counts per size class (class midpoints)."""
    unknown = [c for c in counts if c not in classes]
    if unknown:
        raise ValueError(f"unknown size classes {', '.join(unknown)}")
    n = np.array([float(counts[c]) for c in counts])
    if (n < 0).any() or not np.isfinite(n).all():
        raise ValueError("size-class counts must be non-negative numbers")
    m = np.array([float(classes[c][2]) for c in counts])
    total = (n * m).sum()
    if total <= 0:
        raise ValueError("no establishments in any size class")
    return float((n * m**2).sum() / total**2)


def equal_within_region(
    employment: Sequence[float] | np.ndarray, establishments: Sequence[float] | np.ndarray
) -> float:
    """The equal-size approximation (see the module docstring); regions with E_j = 0 drop out."""
    e = employment_vector(employment)
    n = np.asarray(establishments, dtype="float64").reshape(-1)
    if n.size != e.size:
        raise ValueError("employment and establishments differ in length")
    has = e > 0
    if not np.isfinite(n[has]).all() or (n[has] < 1).any():
        raise ValueError("a region with employment needs a known, positive establishment count")
    return float(((e[has] ** 2) / n[has]).sum() / e.sum() ** 2)
