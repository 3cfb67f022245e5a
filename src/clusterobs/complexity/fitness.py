"""Fitness and complexity by the non-linear map of Tacchella et al. (2012).

Tacchella, Cristelli, Caldarelli, Gabrielli & Pietronero (2012), "A new metrics for countries'
fitness and products' complexity", *Scientific Reports* 2: 723. An alternative to ECI/PCI
(offered as an option): a region is fit when it specialises in many industries, and an
industry is complex when only fit regions specialise in it -- its complexity is bounded by
the *least* fit of its regions (a harmonic rather than arithmetic mean)::

    F~_r(n) = sum_p M_rp Q_p(n-1)
    Q~_p(n) = 1 / sum_r M_rp (1 / F_r(n-1))
    F_r(n)  = F~_r(n) / mean_r F~_r(n)        Q_p(n) = Q~_p(n) / mean_p Q~_p(n)

starting from ``F = Q = 1``. Iteration stops when no value moves by more than
:data:`TOLERANCE` (on the normalised scale) or after :data:`MAX_ITERATIONS`; some values may
tend to zero (Pugliese, Zaccaria & Pietronero 2016, "On the convergence of the Fitness-
Complexity algorithm", *Eur. Phys. J. Special Topics* 225), which is the algorithm's
behaviour, not an error. Regions with diversity 0 and industries with ubiquity 0 are null.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

MAX_ITERATIONS = 1000
TOLERANCE = 1e-12
FORMULA = "F_r = sum_p M_rp Q_p; Q_p = 1 / sum_r M_rp / F_r; each normalised by its mean"
SOURCE = "Tacchella et al. (2012)"


class FitnessComplexity:
    """Fitness ``F`` of regions and complexity ``Q`` of industries.

    Attributes
    ----------
    fitness : ndarray (regions,)
    complexity : ndarray (industries,)
    iterations : int
    converged : bool
    """

    def __init__(
        self,
        presence: np.ndarray,
        *,
        max_iterations: int = MAX_ITERATIONS,
        tolerance: float = TOLERANCE,
    ) -> None:
        m = np.asarray(presence, dtype=bool)
        n_r, n_p = m.shape
        self.fitness = np.full(n_r, np.nan)
        self.complexity = np.full(n_p, np.nan)
        self.iterations = 0
        self.converged = False
        rows, cols = m.any(axis=1), m.any(axis=0)
        if not rows.any() or not cols.any():
            return
        mv = sp.csr_matrix(m[rows][:, cols].astype(np.float64))
        mt = mv.T.tocsr()
        f = np.ones(mv.shape[0])
        q = np.ones(mv.shape[1])
        for i in range(1, max_iterations + 1):
            f_new = mv @ q
            with np.errstate(divide="ignore"):
                q_new = 1.0 / (mt @ (1.0 / f))
            f_new /= f_new.mean()
            q_new /= q_new.mean()
            change = max(np.abs(f_new - f).max(), np.abs(q_new - q).max())
            f, q = f_new, q_new
            self.iterations = i
            if change < tolerance:
                self.converged = True
                break
        self.fitness[rows] = f
        self.complexity[cols] = q
