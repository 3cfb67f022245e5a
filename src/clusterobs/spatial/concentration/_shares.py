"""Checked non-negative employment vectors (shared by the concentration indices)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def employment_vector(values: Sequence[float] | np.ndarray, what: str = "employment") -> np.ndarray:
    """Finite, non-negative floats with a positive total (missing is an error, never 0)."""
    v = np.asarray(values, dtype="float64").reshape(-1)
    if v.size == 0:
        raise ValueError(f"no {what} values")
    if not np.isfinite(v).all():
        raise ValueError(f"{what} value {int(np.flatnonzero(~np.isfinite(v))[0]) + 1} is missing")
    if (v < 0).any():
        raise ValueError(f"{what} value {int(np.flatnonzero(v < 0)[0]) + 1} is negative")
    if v.sum() <= 0:
        raise ValueError(f"{what} sums to zero")
    return v
