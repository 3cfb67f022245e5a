"""Pair distances among points with a KD-tree (``scipy.spatial.cKDTree``), never a Python loop.

``pairs_within`` returns every unordered pair ``i < j`` closer than a cut-off with its distance
(kilometres) from ``cKDTree.query_pairs`` (output as arrays): memory grows with the number of
pairs *within the cut-off*, not with n^2. ``pair_histogram`` counts (weighted) pairs per distance
bin block by block (the pairs of a block of points are found, binned and dropped), which serves
the approximate binned mode on very large point sets: memory stays bounded.

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
    chunk: int = 2048,
) -> np.ndarray:
    """(Weighted) number of unordered pairs ``i < j`` per bin ``[edges[k], edges[k+1])`` (the
    last bin closed), with pair weight ``w_i w_j`` when ``weights`` is given.

    The pairs of one block of points at a time are found with the KD-tree
    (``sparse_distance_matrix`` of the block against all points), binned with ``bincount`` and
    dropped: memory stays bounded by a block's neighbours, however many pairs there are in total.
    """
    edges = np.asarray(edges_km, dtype="float64")
    tree = cKDTree(coords)
    radius = frame.tree_radius(edges[-1] * 1000.0) * (1 + 1e-12)
    w = None if weights is None else np.asarray(weights, dtype="float64")
    counts = np.zeros(edges.size - 1)
    n = len(coords)
    for start in range(0, n, chunk):
        block = np.arange(start, min(start + chunk, n))
        sdm = cKDTree(coords[block]).sparse_distance_matrix(tree, radius, output_type="ndarray")
        i, j, dist = block[sdm["i"]], sdm["j"], sdm["v"]
        keep = j > i
        if not keep.any():
            continue
        i, j, dist = i[keep], j[keep], dist[keep]
        d_km = frame.true_distance(dist) / 1000.0
        k = np.searchsorted(edges, d_km, side="right") - 1
        k[d_km == edges[-1]] = edges.size - 2
        ok = (k >= 0) & (k < edges.size - 1)
        pw = None if w is None else (w[i] * w[j])[ok]
        counts += np.bincount(k[ok], weights=pw, minlength=edges.size - 1)[: edges.size - 1]
    return counts
