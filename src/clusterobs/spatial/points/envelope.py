"""Confidence bands of a function of distance from simulations, with ``dbmss`` conventions.

* **Local band** (``dbmss::FillEnvelope``, ``Global = FALSE``): at every distance r the
  ``alpha/2`` and ``1 - alpha/2`` quantiles of the simulated values (R's default quantile, type 7;
  NumPy ``method="linear"``).
* **Global band** (``dbmss::GlobalEnvelope``, after Duranton & Overman 2005): drop, round after
  round, every simulation that attains the minimum or the maximum at some distance, until at most
  ``(1 - alpha) x simulations`` remain; the band is the envelope of the last round, moved towards
  the previous round's envelope in proportion to how far the count fell below the target::

      lo = min_kept + (min_previous - min_kept) / S * (target - kept)

  A curve outside the global band at *any* distance rejects the null at level ``alpha`` for the
  whole range of distances, not only at that distance.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import numpy as np

P = ParamSpec("P")
R = TypeVar("R")


def _quiet(func: Callable[P, R]) -> Callable[P, R]:
    """Distances where every simulation is undefined (M at r = 0) give NaN bands, silently."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return func(*args, **kwargs)

    return wrapper


@_quiet
def local_band(sims: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """``sims``: simulations x distances."""
    lo, hi = np.nanquantile(sims, [alpha / 2, 1 - alpha / 2], axis=0, method="linear")
    return lo, hi


@_quiet
def global_band(sims: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """The iterative global band of ``dbmss::GlobalEnvelope`` (see the module docstring)."""
    s = np.asarray(sims, dtype="float64").T  # distances x simulations, as in dbmss
    total = s.shape[1]
    target = (1 - alpha) * total
    kept = np.arange(total)
    present_min = np.nanmin(s, axis=1)
    present_max = np.nanmax(s, axis=1)
    previous_min, previous_max = present_min, present_max
    while kept.size > target:
        previous_min, previous_max = present_min, present_max
        block = s[:, kept]
        rows = ~np.all(np.isnan(block), axis=1)
        drop = set(kept[np.nanargmin(block[rows], axis=1)]) | set(
            kept[np.nanargmax(block[rows], axis=1)]
        )
        kept = np.array([k for k in kept if k not in drop], dtype=int)
        if kept.size < 2:
            raise ValueError(
                "the global band could not be computed: more simulations are necessary"
            )
        present_min = np.nanmin(s[:, kept], axis=1)
        present_max = np.nanmax(s[:, kept], axis=1)
    lo = present_min + (previous_min - present_min) / total * (target - kept.size)
    hi = present_max + (previous_max - present_max) / total * (target - kept.size)
    return lo, hi
