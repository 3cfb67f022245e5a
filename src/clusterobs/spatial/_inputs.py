"""Shared checks and helpers of the region statistics (not a statistic itself)."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator, Sequence

import numpy as np

from clusterobs.spatial.weights import SpatialWeights

DEFAULT_SEED = 20_261_122
DEFAULT_PERMUTATIONS = 999


def check_values(values: Sequence[float] | np.ndarray, weights: SpatialWeights) -> np.ndarray:
    """Finite float values aligned with ``weights.ids`` (no missing value is guessed)."""
    y = np.asarray(values, dtype="float64").reshape(-1)
    if y.shape[0] != weights.n:
        raise ValueError(f"{y.shape[0]} values for {weights.n} regions in the weights")
    bad = ~np.isfinite(y)
    if bad.any():
        code = weights.ids[int(np.flatnonzero(bad)[0])]
        raise ValueError(
            f"region {code}: value is missing or not finite; leave regions without data out "
            "of the weights (SpatialWeights.restrict) instead of filling them"
        )
    if weights.n < 3:
        raise ValueError("spatial statistics need at least three regions")
    if np.all(y == y[0]):
        raise ValueError("all regions have the same value: spatial autocorrelation is undefined")
    return y


@contextlib.contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Seed NumPy's global generator for esda's permutations and restore it afterwards.

    ``esda`` draws its permutations from ``numpy.random``'s global state; saving and restoring
    it keeps a seeded statistic from changing anybody else's random stream.
    """
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        with warnings.catch_warnings():
            # esda warns about islands (we report them) and divides by zero for their z_sim.
            warnings.simplefilter("ignore")
            with np.errstate(divide="ignore", invalid="ignore"):
                yield
    finally:
        np.random.set_state(state)


def island_mask(weights: SpatialWeights) -> np.ndarray:
    card = weights.cardinalities
    return np.array([card[i] == 0 for i in weights.ids], dtype=bool)
