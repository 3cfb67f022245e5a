"""Pair distances among points with a KD-tree (``scipy.spatial.cKDTree``), never a Python loop.

``pairs_within`` returns every unordered pair ``i < j`` closer than a cut-off with its distance
(kilometres) from ``cKDTree.query_pairs`` (output as arrays): memory grows with the number of
pairs *within the cut-off*, not with n^2. ``pair_histogram`` counts (weighted) pairs per distance
bin with ``cKDTree.count_neighbors`` (a dual-tree count, no pair is materialised), which serves the
approximate binned mode on very large point sets.

Coordinates are those of a :class:`~clusterobs.spatial.projection.DistanceFrame` (metres; 3-D on
the sphere for great-circle distances).
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from clusterobs.spatial.projection import DistanceFrame


def pairs_within(
    coords: np.ndarray, frame: DistanceFrame, cutoff_km: float, tree: cKDTree | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(i, j, d_km)`` for all pairs ``i < j`` with distance ``<= cutoff_km``."""
    tree = tree if tree is not None else cKDTree(coords)
    radius = frame.tree_radius(cutoff_km * 1000.0) * (1 + 1e-12)
    ij = tree.query_pairs(radius, output_type="ndarray")
    if ij.size == 0:
        empty = np.empty(0, dtype=np.intp)
        return empty, empty, np.empty(0)
    i, j = ij[:, 0], ij[:, 1]
    diff = coords[i] - coords[j]
    d_km = frame.true_distance(np.sqrt((diff * diff).sum(axis=1))) / 1000.0
    keep = d_km <= cutoff_km
    return i[keep], j[keep], d_km[keep]


def pair_histogram(
    coords: np.ndarray,
    frame: DistanceFrame,
    edges_km: np.ndarray,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """(Weighted) number of unordered pairs ``i < j`` per bin ``(edges[k], edges[k+1]]``.

    ``weights``: pair weight ``w_i w_j``. The first bin also receives pairs at distance 0.
    """
    tree = cKDTree(coords)
    radii = np.array([frame.tree_radius(e * 1000.0) for e in edges_km])
    if weights is None:
        cum = tree.count_neighbors(tree, radii, cumulative=True).astype("float64")
        self_pairs = float(len(coords))
    else:
        w = np.asarray(weights, dtype="float64")
        cum = tree.count_neighbors(tree, radii, weights=(w, w), cumulative=True)
        self_pairs = float((w * w).sum())
    # Ordered pairs including i == j at distance 0: remove the diagonal, halve.
    cum = (np.asarray(cum, dtype="float64") - self_pairs) / 2.0
    counts = np.diff(cum)
    counts[0] += cum[0]
    return np.clip(counts, 0.0, None)
