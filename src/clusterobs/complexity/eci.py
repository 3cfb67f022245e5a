"""Economic Complexity Index (ECI) and Product (industry) Complexity Index (PCI).

Hidalgo & Hausmann (2009), "The building blocks of economic complexity", *PNAS* 106(26):
10570-10575 (method of reflections); eigenvector form and normalisation as in Hausmann,
Hidalgo et al. (2014), *The Atlas of Economic Complexity*, MIT Press, and the Growth Lab's
reference code (Stata ``ecomplexity``, Yildirim 2014; Python ``ecomplexity``).

The method of reflections alternates averages over the presence matrix ``M``::

    k_r,N = (1 / k_r,0) sum_p M_rp k_p,N-1        k_p,N = (1 / k_p,0) sum_r M_rp k_r,N-1

Its fixed point is an eigenvector problem. With ``k_r = k_r,0`` (diversity) and ``k_p = k_p,0``
(ubiquity)::

    M~_pp' = sum_r M_rp M_rp' / (k_r k_p)            (industries x industries, row-stochastic)
    K_p    = eigenvector of M~ for its second-largest eigenvalue (the largest, 1, belongs to a
             constant vector and carries no information)
    k_r    = (1 / k_r) sum_p M_rp K_p                (region side: average K of its industries)

Conventions (identical to the Growth Lab code, so results agree with ``ecomplexity``):

* ``K`` has unit Euclidean norm; its sign is chosen so that ECI correlates positively with
  diversity (Pearson).
* ``ECI = (k_r - mean(k_r)) / std(k_r)``; ``PCI = (K_p - mean(k_r)) / std(k_r)``, both with the
  *regions'* mean and standard deviation (population, ``ddof = 0``). So a region's ECI is the
  mean PCI of the industries in which it specialises: ``ECI_r = mean_{p: M_rp=1} PCI_p``.
* Regions with diversity 0 and industries with ubiquity 0 are not part of the network: their
  ECI / PCI is null (missing), and the mean and standard deviation are over the others.

Computation: ``M~`` is similar to the symmetric ``G = A'A`` with ``A = D_r^-1/2 M D_p^-1/2``,
so the eigenvector comes from a symmetric eigensolver (LAPACK ``syevr`` on the smaller side of
the matrix, top two eigenpairs only; Lanczos above :data:`DENSE_EIGEN_MAX`), which is exact to
machine precision and far cheaper than a general eigen-decomposition of ``M~``.

When the second eigenvalue equals the first (1), the region-industry network has several
components and the ECI is not uniquely defined; ``connected`` is then False and the manifest
says so.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
import scipy.sparse as sp
import scipy.sparse.linalg
from threadpoolctl import threadpool_limits

#: Above this many rows on the smaller side, the eigenvector comes from Lanczos (ARPACK).
DENSE_EIGEN_MAX = 4000
#: ``lambda_2 >= 1 - DISCONNECTED_TOL`` means more than one connected component.
DISCONNECTED_TOL = 1e-9
FORMULA = (
    "K = 2nd eigenvector of M~_pp' = sum_r M_rp M_rp' / (k_r k_p); k_r = mean of K over the "
    "region's industries; ECI = (k_r - mean k_r) / std k_r; PCI = (K - mean k_r) / std k_r; "
    "sign: ECI correlates positively with diversity"
)
SOURCE = "Hidalgo & Hausmann (2009); Hausmann et al. (2014); Growth Lab ecomplexity conventions"


class EconomicComplexity:
    """ECI and PCI of a presence matrix (see the module docstring for formula and conventions).

    Parameters
    ----------
    presence : ndarray (regions, industries) of bool, or of 0/1 floats

    Attributes
    ----------
    eci : ndarray (regions,)          standardised, null where diversity is 0
    pci : ndarray (industries,)       on the ECI scale, null where ubiquity is 0
    kc_raw, kp_raw : ndarray          unstandardised ``k_r`` and unit-norm ``K_p``
    eci_mean, eci_std : float         mean and std of ``kc_raw`` used to standardise
    eigenvalues : tuple (lambda_1, lambda_2)
    connected : bool
    """

    def __init__(self, presence: np.ndarray) -> None:
        m = np.asarray(presence)
        n_r, n_p = m.shape
        self.eci = np.full(n_r, np.nan)
        self.pci = np.full(n_p, np.nan)
        self.kc_raw = np.full(n_r, np.nan)
        self.kp_raw = np.full(n_p, np.nan)
        self.eci_mean = self.eci_std = float("nan")
        self.eigenvalues: tuple[float, float] = (float("nan"), float("nan"))
        self.connected = False
        mf = m.astype(np.float64, copy=False)  # a 0/1 float matrix is used as it is
        k_r = mf.sum(axis=1)
        k_p = mf.sum(axis=0)
        rows, cols = k_r > 0, k_p > 0
        if rows.sum() < 2 or cols.sum() < 2:
            return
        mv = mf if rows.all() and cols.all() else mf[rows][:, cols]
        kr = k_r[rows]
        kp = k_p[cols]
        a = mv * (1.0 / np.sqrt(kr))[:, None] * (1.0 / np.sqrt(kp))[None, :]
        industry_side = a.shape[1] <= a.shape[0]
        lam1, lam2, w = _second_eigenvector(a, industry_side)
        # Industry side: K = D_p^-1/2 w. Region side: K is the industries' average of k_r.
        k_prod = w / np.sqrt(kp) if industry_side else (mv.T @ (w / np.sqrt(kr))) / kp
        k_prod /= np.linalg.norm(k_prod)
        k_reg = (mv @ k_prod) / kr
        with np.errstate(invalid="ignore"):
            corr = np.corrcoef(kr, k_reg)[0, 1]
        sign = -1.0 if np.isfinite(corr) and corr < 0 else 1.0
        k_prod *= sign
        k_reg *= sign
        mean, std = float(k_reg.mean()), float(k_reg.std())
        self.kc_raw[rows] = k_reg
        self.kp_raw[cols] = k_prod
        self.eci_mean, self.eci_std = mean, std
        if std > 0:
            self.eci[rows] = (k_reg - mean) / std
            self.pci[cols] = (k_prod - mean) / std
        self.eigenvalues = (lam1, lam2)
        self.connected = bool(lam2 < 1.0 - DISCONNECTED_TOL)


def _second_eigenvector(a: np.ndarray, industry_side: bool) -> tuple[float, float, np.ndarray]:
    """Top two eigenpairs of ``A'A`` (industry side) or ``AA'`` (region side)."""
    n = a.shape[1] if industry_side else a.shape[0]
    if n <= DENSE_EIGEN_MAX:
        g = a.T @ a if industry_side else a @ a.T
        # One thread: the tridiagonal reduction of a matrix this small does not gain from
        # threads, and on a busy machine OpenBLAS threads spinning for a core cost 10-25x
        # (measured: 6.4 s against 0.25 s for n = 1,000 at load average 8 on 2 cores).
        with threadpool_limits(1):
            vals, vecs = scipy.linalg.eigh(g, subset_by_index=[n - 2, n - 1], driver="evr")
        return float(vals[1]), float(vals[0]), vecs[:, 0]
    asp = sp.csr_matrix(a)
    if industry_side:
        op = scipy.sparse.linalg.LinearOperator(
            (n, n), matvec=lambda x: asp.T @ (asp @ x), dtype=np.float64
        )
    else:
        op = scipy.sparse.linalg.LinearOperator(
            (n, n), matvec=lambda x: asp @ (asp.T @ x), dtype=np.float64
        )
    vals, vecs = scipy.sparse.linalg.eigsh(op, k=2, which="LA", tol=0)
    order = np.argsort(vals)
    return float(vals[order[1]]), float(vals[order[0]]), vecs[:, order[0]]
