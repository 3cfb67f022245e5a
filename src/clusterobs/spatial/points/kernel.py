"""Kernel density of pair distances with reflection at 0, as Duranton & Overman (2005) and
``dbmss`` define Kd, evaluated *exactly* on a regular grid.

Given pair distances ``d_p`` with weights ``w_p`` (1, or ``w_i w_j``), a Gaussian kernel of
bandwidth ``h`` and the reflection of the distances ``d_p <= 4h`` about 0 (``dbmss``: "distances
below 4bw are mirrored", following GoFKernel::density.reflected)::

    num(r)   = sum_p w_p phi_h(r - d_p) + sum_{p: d_p <= 4h} w_p phi_h(r + d_p)
    denom    = sum_p w_p Phi(d_p / h)   + sum_{p: d_p <= 4h} w_p Phi(-d_p / h)
    Kd(r)    = num(r) / denom

The sums run over **all** n(n-1)/2 pairs: the density integrates to 1 over [0, inf). ``denom`` is
the mass of the reflected density on [0, inf) (``dbmss`` divides by ``1 - mean(Mirrored$y) *
diff(range(Mirrored$x))``, a Riemann sum of the same mass below 0). Pairs farther than
``r_max + 10h`` change ``num`` by less than ``phi(10) = 7.7e-23`` of the kernel's peak and
``denom`` by ``w_p (1 - Phi(10))``, so they enter ``denom`` through the closed-form total weight
(``n(n-1)/2``, or ``((sum w)^2 - sum w^2) / 2``) and are not enumerated.

**Exact evaluation on a grid.** ``dbmss`` calls R's ``density()``, which bins the distances
linearly on a grid of at most 4,096 points and convolves by FFT (an approximation of order
``(grid step / h)^2``). We evaluate the kernel sums without binning error: each distance ``x`` is
written ``x = (j + f) delta`` on a fine grid (``delta <= h / 8``, ``|f| <= 1/2``) and

    exp(-((t - f) delta)^2 / 2h^2) = exp(-a t^2 / 2) exp(-a f^2 / 2) sum_k (a t f)^k / k!,
    a = (delta / h)^2

so the sum over distances becomes ``sum_k (g_k * M_k)(t)``: moments ``M_k(j) = sum w e^{-a f^2/2}
f^k`` per grid cell (``numpy.bincount``) convolved (FFT) with ``g_k(t) = e^{-a t^2/2} (a t)^k /
k!``, with as many terms as needed for a relative truncation error below 1e-14 (about a dozen).
The cost is linear in the number of pairs, as binning is, but the result equals the direct
pair-by-pair sum to rounding (``tests/spatial/test_kd.py`` checks it against a loop).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.signal import fftconvolve
from scipy.special import ndtr

SQRT_2PI = math.sqrt(2.0 * math.pi)
REFLECT = 4.0  # reflect distances <= 4h (dbmss)
SUPPORT = 10.0  # kernel evaluated within 10h (phi(10) = 7.7e-23 of the peak)


def gaussian_sums(
    x: np.ndarray, w: np.ndarray | None, step: float, n_out: int, h: float, tol: float = 1e-14
) -> np.ndarray:
    """``sum_p w_p phi_h(k step - x_p)`` for ``k = 0 .. n_out - 1`` (exact to ~tol relative)."""
    x = np.asarray(x, dtype="float64")
    w = np.ones_like(x) if w is None else np.asarray(w, dtype="float64")
    if n_out < 1 or step <= 0 or h <= 0:
        raise ValueError("need n_out >= 1, step > 0 and h > 0")
    sub = max(1, math.ceil(step / (h / 8.0)))
    delta = step / sub
    length = (n_out - 1) * sub + 1
    half = math.ceil(SUPPORT * h / delta)
    top = (length - 1) * delta
    keep = (x >= -SUPPORT * h - delta) & (x <= top + SUPPORT * h + delta)
    x, w = x[keep], w[keep]
    if x.size == 0:
        return np.zeros(n_out)
    u = x / delta
    j = np.rint(u)
    f = u - j
    j = j.astype(np.int64) + half + 1  # index into the padded moment arrays
    a = (delta / h) ** 2
    size = length + 2 * half + 3
    t = np.arange(-half, half + 1, dtype="float64")
    base_kernel = np.exp(-0.5 * a * t * t)
    ef = w * np.exp(-0.5 * a * f * f)
    # Terms until (a T / 2)^k / k! * e^(a T / 2) < tol.
    bound = 0.5 * a * half
    terms, term = 1, 1.0
    while term * math.exp(bound) >= tol and terms < 60:
        term *= bound / terms
        terms += 1
    moments = np.empty((terms, size))
    kernels = np.empty((terms, t.size))
    fk = np.ones_like(f)
    at = a * t
    gk = base_kernel.copy()
    for k in range(terms):
        moments[k] = np.bincount(j, weights=ef * fk, minlength=size)[:size]
        kernels[k] = gk
        fk = fk * f
        gk = gk * at / (k + 1)
    conv = fftconvolve(moments, kernels, mode="full", axes=1).sum(axis=0)
    # moment index m = j + half + 1 holds position j; conv index m + (t + half) -> position j + t.
    start = 2 * half + 1
    grid = conv[start : start + length]
    return np.asarray(np.clip(grid[::sub][:n_out], 0.0, None) / (h * SQRT_2PI))


def reflected_density(
    d: np.ndarray,
    w: np.ndarray | None,
    total_weight: float,
    r_step: float,
    n_r: int,
    h: float,
) -> np.ndarray:
    """Kd on ``r = 0, r_step, ..., (n_r - 1) r_step`` from the enumerated pairs ``d`` (all pairs
    closer than ``r_max + 10h``; see the module docstring) and the total weight of all pairs."""
    d = np.asarray(d, dtype="float64")
    w_arr = np.ones_like(d) if w is None else np.asarray(w, dtype="float64")
    refl = d <= REFLECT * h
    x = np.concatenate([d, -d[refl]])
    ww = np.concatenate([w_arr, w_arr[refl]])
    num = gaussian_sums(x, ww, r_step, n_r, h)
    near = d <= SUPPORT * h
    denom = (
        total_weight
        - float((w_arr[near] * ndtr(-d[near] / h)).sum())
        + float((w_arr[refl] * ndtr(-d[refl] / h)).sum())
    )
    return num / denom
