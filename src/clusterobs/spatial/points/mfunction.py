"""Marcon-Puech M: the industry's share among neighbours, relative to its share overall.

Formula (Marcon & Puech 2010, eq. 3; ``dbmss::Mhat`` with reference = neighbour type = S)::

                sum_{i in S} [ sum_{j != i, j in S, d_ij <= r} w_j / sum_{j != i, d_ij <= r} w_j ]
    M(r) = -------------------------------------------------------------------------------------
                sum_{i in S} [ (W_S - w_i) / (W - w_i) ]

over reference points i of the industry S, neighbours j of any industry within distance r
(inclusive), ``W_S`` and ``W`` the total weights of S and of all points. M = 1 when S is spread
like all points; M > 1 means relative concentration up to r. As in ``dbmss``, reference points
with no neighbour at all within r are left out of both sums at that r. M is cumulative (every
neighbour up to r counts), a complement to the density Kd.

Bands: random location among all points (all marks, types and weights, permuted over the
locations), seeded; local and global bands as for Kd (:mod:`.envelope`). Pairs are found with a
KD-tree over all points (``cKDTree.sparse_distance_matrix`` between the industry and all points),
so the cost grows with the number of neighbours within ``r_max``, not with N^2.
"""

from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from clusterobs.spatial.points import envelope
from clusterobs.spatial.points.kd import KdOptions
from clusterobs.spatial.projection import DistanceFrame

SOURCE = "Marcon & Puech (2010), Journal of Economic Geography 10(5); dbmss::Mhat, MEnvelope"


def _m_values(
    tree_all: cKDTree,
    coords: np.ndarray,
    is_s: np.ndarray,
    w: np.ndarray,
    frame: DistanceFrame,
    r: np.ndarray,
) -> np.ndarray:
    ref = np.flatnonzero(is_s)
    n_r = r.size
    tree_s = cKDTree(coords[ref])
    radius = frame.tree_radius(r[-1] * 1000.0) * (1 + 1e-12)
    sdm = tree_s.sparse_distance_matrix(tree_all, radius, output_type="ndarray")
    i_loc, j, dist = sdm["i"], sdm["j"], sdm["v"]
    d_km = frame.true_distance(dist) / 1000.0
    keep = (j != ref[i_loc]) & (d_km <= r[-1])
    i_loc, j, d_km = i_loc[keep], j[keep], d_km[keep]
    k = np.searchsorted(r, d_km, side="left")  # first r_k >= d (d <= r_k counts)
    cell = i_loc * n_r + k
    size = ref.size * n_r
    nbd_all = np.bincount(cell, weights=w[j], minlength=size).reshape(ref.size, n_r)
    s_nb = is_s[j]
    nbd_s = np.bincount(cell[s_nb], weights=w[j][s_nb], minlength=size).reshape(ref.size, n_r)
    nbd_all = np.cumsum(nbd_all, axis=1)
    nbd_s = np.cumsum(nbd_s, axis=1)
    w_ref = w[ref]
    global_ratio = (w_ref.sum() - w_ref) / (w.sum() - w_ref)
    with np.errstate(invalid="ignore", divide="ignore"):
        local = nbd_s / nbd_all
    finite = np.isfinite(local)
    num = np.where(finite, local, 0.0).sum(axis=0)
    den = (finite * global_ratio[:, None]).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(num / den)


class MarconPuech:
    """M of the industry's points with bands from random location (see the module docstring)."""

    def __init__(
        self,
        coords: np.ndarray,
        industry: np.ndarray,
        frame: DistanceFrame,
        *,
        weights: np.ndarray | None = None,
        options: KdOptions | None = None,
    ) -> None:
        started = time.perf_counter()
        opt = options or KdOptions()
        mask = np.asarray(industry, dtype=bool)
        self.options = opt
        self.frame = frame
        self.N, self.n = len(coords), int(mask.sum())
        if self.n < 2:
            raise ValueError("M needs at least two establishments of the industry")
        w = (
            np.asarray(weights, dtype="float64")
            if opt.weighted and weights is not None
            else np.ones(self.N)
        )
        if opt.weighted and weights is None:
            raise ValueError("weighted M needs a weight per point")
        self.r = opt.r
        tree_all = cKDTree(coords)
        self.m = _m_values(tree_all, coords, mask, w, frame, self.r)
        rng = np.random.Generator(np.random.PCG64(opt.seed))
        sims = np.full((opt.simulations, self.r.size), np.nan)
        for s in range(opt.simulations):
            perm = rng.permutation(self.N)
            sims[s] = _m_values(tree_all, coords, mask[perm], w[perm], frame, self.r)
        self.simulated = sims
        if opt.simulations:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                self.mean = np.nanmean(sims, axis=0)
            self.local_lo, self.local_hi = envelope.local_band(sims, opt.alpha)
            self.global_lo, self.global_hi = envelope.global_band(sims, opt.alpha)
        else:
            nan = np.full(self.r.size, np.nan)
            self.mean = self.local_lo = self.local_hi = self.global_lo = self.global_hi = nan
        self.seconds = time.perf_counter() - started

    def summary(self) -> dict[str, Any]:
        o = self.options
        return {
            "statistic": "Marcon-Puech M",
            "weighted": o.weighted,
            "points_industry": self.n,
            "points_all": self.N,
            "null": "random location among all points",
            "simulations": o.simulations,
            "alpha": o.alpha,
            "seed": o.seed,
            "seconds": round(self.seconds, 3),
            "source": SOURCE,
        }
