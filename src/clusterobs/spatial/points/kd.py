"""Duranton-Overman Kd: at which distances are an industry's establishments localised?

Kd (Duranton & Overman 2005, eq. 1; weighted version eq. 4) is the kernel density of the
distances between pairs of the industry's n establishments, estimated over **all n(n-1)/2 pairs**
(so it integrates to 1 on [0, inf)), with a Gaussian kernel **reflected at 0**, the bandwidth of
Silverman's rule (R's ``bw.nrd0``) over the pair distances up to **twice the largest r**, and in
the weighted version pair weights ``w_i w_j`` (e.g. employment), the bandwidth staying that of the
unweighted distances. These are the conventions of ``dbmss::Kdhat`` (Marcon et al. 2015), so our
curves can be compared with it; the formula and its exact evaluation are in :mod:`.kernel`.

**Counterfactual and bands.** The null is *random location among all points* (``dbmss``
``RandomLocation``: the marks are permuted over all establishments, so a simulated industry is n
establishments drawn at random from all N, carrying the industry's weights). Each of the
``simulations`` draws (seeded NumPy PCG64: the same seed gives the same bands) is estimated like the
observed pattern, bandwidth included. Local and global bands: :mod:`.envelope`.

**Indices** (Duranton & Overman 2005, section 4.2; the paper writes Gamma for localisation, the
issue calls it Delta)::

    localisation  Gamma(r) = max(Kd(r) - upper global band(r), 0),   Gamma = sum_r Gamma(r) dr
    dispersion    Psi(r)   = max(lower global band(r) - Kd(r), 0) if Gamma = 0, else 0;
                  Psi = sum_r Psi(r) dr

with ``dr`` the step of the distance grid in km: with 1 km steps over 0-180 km these are the
paper's sums. The industry is *localised* when Gamma > 0, *dispersed* when Psi > 0.

**Units and grid.** r runs from 0 to ``r_max_km`` in steps of ``r_step_km`` (default 0-200 km by
1 km); Kd is a density per km.

**Modes.** ``exact`` (default) enumerates the pairs closer than ``max(2 r_max, r_max + 10h)`` with
a KD-tree and evaluates the kernel sums exactly. ``binned`` (an approximation, named in every
output) counts pairs into 2,048 distance bins over [0, 2 r_max] block by block (memory bounded
by one block's pairs) and takes the bandwidth from that histogram; it is meant for point sets
too large to hold all pairs within 2 r_max in memory.
``dbmss``'s own approximation (``Approximate = 1``, the default for 10,000 points or more) bins the
same way but takes the bandwidth from the *distinct* occupied bins; ours weighs bins by their pair
counts so that it approximates the exact bandwidth.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy.spatial import cKDTree

from clusterobs.spatial.points import envelope
from clusterobs.spatial.points.bandwidth import bw_nrd0, bw_nrd0_binned
from clusterobs.spatial.points.kernel import SUPPORT, reflected_density
from clusterobs.spatial.points.pairs import pair_histogram, pairs_within
from clusterobs.spatial.projection import DistanceFrame

SOURCE = (
    "Duranton & Overman (2005), Review of Economic Studies 72(4); conventions of dbmss::Kdhat "
    "and KdEnvelope (Marcon, Traissac, Puech & Lang 2015, Journal of Statistical Software 67)"
)
DEFAULT_SEED = 20_261_122
BINS = 2048
Mode = Literal["exact", "binned"]


@dataclass(frozen=True)
class KdOptions:
    r_max_km: float = 200.0
    r_step_km: float = 1.0
    simulations: int = 99
    alpha: float = 0.05
    seed: int = DEFAULT_SEED
    weighted: bool = False
    mode: Mode = "exact"
    adjust: float = 1.0

    def __post_init__(self) -> None:
        if not self.r_max_km > 0 or not self.r_step_km > 0:
            raise ValueError("r_max_km and r_step_km must be positive")
        if self.r_step_km > self.r_max_km:
            raise ValueError("r_step_km must not exceed r_max_km")
        steps = self.r_max_km / self.r_step_km
        if abs(steps - round(steps)) > 1e-9 * steps:
            raise ValueError("r_max_km must be a whole multiple of r_step_km")
        if self.mode not in ("exact", "binned"):
            raise ValueError("mode must be 'exact' or 'binned'")
        if self.simulations < 0:
            raise ValueError("simulations must be >= 0")
        if not 0 < self.alpha < 1:
            raise ValueError("alpha must lie in (0, 1)")

    @property
    def n_r(self) -> int:
        return round(self.r_max_km / self.r_step_km) + 1

    @property
    def r(self) -> np.ndarray:
        return np.arange(self.n_r, dtype="float64") * float(self.r_step_km)


@dataclass
class KdEstimate:
    kd: np.ndarray
    bandwidth: float
    pairs_enumerated: int


def total_pair_weight(n: int, weights: np.ndarray | None) -> float:
    """Sum of pair weights over all n(n-1)/2 pairs."""
    if weights is None:
        return n * (n - 1) / 2.0
    w = np.asarray(weights, dtype="float64")
    return float((w.sum() ** 2 - (w * w).sum()) / 2.0)


def estimate_kd(
    coords: np.ndarray,
    frame: DistanceFrame,
    options: KdOptions,
    weights: np.ndarray | None = None,
) -> KdEstimate:
    """Kd of one point pattern (coordinates of the frame, metres) on ``options.r``."""
    n = len(coords)
    if n < 2:
        raise ValueError("Kd needs at least two establishments")
    r_max, step, n_r = options.r_max_km, options.r_step_km, options.n_r
    total = total_pair_weight(n, weights)
    if options.mode == "binned":
        return _estimate_binned(coords, frame, options, weights, total)
    tree = cKDTree(coords)
    i, j, d = pairs_within(coords, frame, 2 * r_max, tree)
    if d.size < 2:
        raise ValueError(
            f"fewer than two pairs of establishments within {2 * r_max:g} km: the bandwidth is "
            "undefined (raise r_max)"
        )
    h = bw_nrd0(d) * options.adjust
    reach = r_max + SUPPORT * h
    if reach > 2 * r_max:
        i, j, d = pairs_within(coords, frame, reach, tree)
    pw = None if weights is None else weights[i] * weights[j]
    kd = reflected_density(d, pw, total, step, n_r, h)
    return KdEstimate(kd, h, int(d.size))


def _estimate_binned(
    coords: np.ndarray,
    frame: DistanceFrame,
    options: KdOptions,
    weights: np.ndarray | None,
    total: float,
) -> KdEstimate:
    r_max = options.r_max_km
    width = 2 * r_max / BINS
    edges = np.arange(BINS + 1) * width
    counts = pair_histogram(coords, frame, edges)
    centres = (edges[:-1] + edges[1:]) / 2
    if counts.sum() < 2:
        raise ValueError(f"fewer than two pairs within {2 * r_max:g} km (raise r_max)")
    h = bw_nrd0_binned(centres, counts, edges) * options.adjust
    reach = r_max + SUPPORT * h
    if reach > 2 * r_max:
        extra = int(np.ceil((reach - 2 * r_max) / width))
        edges = np.arange(BINS + extra + 1) * width
        centres = (edges[:-1] + edges[1:]) / 2
        counts = pair_histogram(coords, frame, edges)
    pair_w = counts if weights is None else pair_histogram(coords, frame, edges, weights)
    kd = reflected_density(centres, pair_w, total, options.r_step_km, options.n_r, h)
    return KdEstimate(kd, h, int(counts.sum()))


def random_location_draws(n_all: int, n: int, simulations: int, seed: int) -> Iterator[np.ndarray]:
    """The simulated industries of the null: ``simulations`` draws of ``n`` of the ``n_all``
    points without replacement (NumPy PCG64 seeded with ``seed``). The industry's weights are
    assigned to a draw in their original order, which is a random assignment because the draw's
    order is random (``dbmss::rRandomLocation`` permutes all marks)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    for _ in range(simulations):
        yield rng.choice(n_all, size=n, replace=False)


class DurantonOverman:
    """Kd of the industry's points with bands from random location among all points.

    ``coords``: KD-tree coordinates of **all** points (the counterfactual population);
    ``industry``: boolean mask of the industry's points; ``weights`` (for ``weighted``): one per
    point. Results: ``r``, ``kd``, ``bandwidth``, ``simulated`` (simulations x r), ``mean``,
    ``local_lo``/``local_hi``, ``global_lo``/``global_hi``, ``localisation`` (Gamma),
    ``dispersion`` (Psi), ``localised``/``dispersed``, ``seconds``.
    """

    def __init__(
        self,
        coords: np.ndarray,
        industry: np.ndarray,
        frame: DistanceFrame,
        *,
        weights: np.ndarray | None = None,
        options: KdOptions | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        started = time.perf_counter()
        opt = options or KdOptions()
        mask = np.asarray(industry, dtype=bool)
        if opt.weighted and weights is None:
            raise ValueError("weighted Kd needs a weight per point")
        self.options = opt
        self.frame = frame
        self.global_band_error: str | None = None
        self.N = len(coords)
        self.n = int(mask.sum())
        if self.n < 2:
            raise ValueError(f"the industry has {self.n} establishment(s); Kd needs two or more")
        if self.n >= self.N and opt.simulations:
            raise ValueError("every point belongs to the industry: random location is the data")
        w_ind = np.asarray(weights, dtype="float64")[mask] if opt.weighted else None
        self.r = opt.r
        observed = estimate_kd(coords[mask], frame, opt, w_ind)
        self.kd = observed.kd
        self.bandwidth = observed.bandwidth
        self.pairs_enumerated = observed.pairs_enumerated
        sims = np.full((opt.simulations, opt.n_r), np.nan)
        self.simulation_bandwidths = np.full(opt.simulations, np.nan)
        draws = random_location_draws(self.N, self.n, opt.simulations, opt.seed)
        for s, idx in enumerate(draws):
            try:
                est = estimate_kd(coords[idx], frame, opt, w_ind)
            except ValueError:  # no pair within 2 r_max in this draw: density 0 on [0, r_max]
                sims[s] = 0.0
            else:
                sims[s] = est.kd
                self.simulation_bandwidths[s] = est.bandwidth
            if progress is not None:
                progress(s + 1, opt.simulations)
        self.simulated = sims
        if opt.simulations:
            self.mean = np.nanmean(sims, axis=0)
            self.local_lo, self.local_hi = envelope.local_band(sims, opt.alpha)
            try:
                self.global_lo, self.global_hi = envelope.global_band(sims, opt.alpha)
            except ValueError as exc:  # too few simulations for the level (dbmss stops here)
                self.global_band_error = str(exc)
                self.global_lo = self.global_hi = np.full(opt.n_r, np.nan)
            gamma_r = np.maximum(self.kd - self.global_hi, 0.0)
            self.localisation = float(gamma_r.sum() * opt.r_step_km)
            psi_r = np.maximum(self.global_lo - self.kd, 0.0)
            self.dispersion = 0.0 if self.localisation > 0 else float(psi_r.sum() * opt.r_step_km)
            if self.global_band_error:
                self.localisation = self.dispersion = float("nan")
        else:
            nan = np.full(opt.n_r, np.nan)
            self.mean = self.local_lo = self.local_hi = self.global_lo = self.global_hi = nan
            self.localisation = self.dispersion = float("nan")
        self.seconds = time.perf_counter() - started

    @property
    def localised(self) -> bool:
        return bool(self.localisation > 0)

    @property
    def dispersed(self) -> bool:
        return bool(self.dispersion > 0)

    def distance_ranges(self, which: Literal["global", "local"] = "global") -> list[list[float]]:
        """Distance intervals [from, to] (km) where Kd lies above the upper band."""
        hi = self.global_hi if which == "global" else self.local_hi
        above = self.kd > hi
        out, start = [], None
        for k, flag in enumerate(above):
            if flag and start is None:
                start = self.r[k]
            if not flag and start is not None:
                out.append([float(start), float(self.r[k - 1])])
                start = None
        if start is not None:
            out.append([float(start), float(self.r[-1])])
        return out

    def summary(self) -> dict[str, Any]:
        o = self.options
        return {
            "statistic": "Duranton-Overman Kd",
            "mode": o.mode if o.mode == "exact" else "binned (approximation: 2,048 distance bins)",
            "weighted": o.weighted,
            "points_industry": self.n,
            "points_all": self.N,
            "pairs_enumerated": self.pairs_enumerated,
            "bandwidth_km": self.bandwidth,
            "bandwidth_rule": "bw.nrd0 over pair distances <= 2 r_max"
            + (f", x {o.adjust:g}" if o.adjust != 1 else ""),
            "kernel": "Gaussian, reflected at 0 (distances <= 4h mirrored)",
            "r_max_km": o.r_max_km,
            "r_step_km": o.r_step_km,
            "null": "random location among all points",
            "simulations": o.simulations,
            "alpha": o.alpha,
            "seed": o.seed,
            "localisation_index": self.localisation,
            "dispersion_index": self.dispersion,
            "global_band_error": self.global_band_error,
            "localised": self.localised,
            "dispersed": self.dispersed,
            "localised_at_km_global": self.distance_ranges("global") if o.simulations else [],
            "localised_at_km_local": self.distance_ranges("local") if o.simulations else [],
            "distance": self.frame.description,
            "seconds": round(self.seconds, 3),
            "source": SOURCE,
        }
