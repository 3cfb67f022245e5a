"""Duranton-Overman Kd: against a direct pair-by-pair computation written here, against dbmss
(reference values in fixtures/dbmss_*.csv) and its bands and indices.

Tolerances: the exact mode equals the direct sum to rounding (1e-12 of the curve's maximum).
dbmss evaluates the same density with R's ``density()`` (linear binning on a 512-point grid and
FFT), which differs from the exact sum by about 0.2 % of the maximum here; a replica of that
binned algorithm written below reproduces dbmss to 1e-9, which shows the difference is R's binning.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from clusterobs.spatial.points.envelope import global_band, local_band
from clusterobs.spatial.points.kd import DurantonOverman, KdOptions, estimate_kd
from clusterobs.spatial.points.mfunction import MarconPuech
from clusterobs.spatial.points.pairs import pair_histogram, pairs_within
from clusterobs.spatial.projection import DistanceFrame
from tests.spatial.conftest import FIXTURES

PLANE = DistanceFrame("projected", None, "test plane (km x 1000)")


@pytest.fixture(scope="module")
def plane():
    p = pd.read_csv(FIXTURES / "points_plane.csv")
    coords = p[["x_km", "y_km"]].to_numpy() * 1000.0
    return coords, (p["type"] == "A").to_numpy(), p["weight"].to_numpy(dtype=float)


# Direct computation, pair by pair --------------------------------------------------------


def _quantile7(xs: list[float], q: float) -> float:
    s = sorted(xs)
    h = (len(s) - 1) * q
    lo = math.floor(h)
    return s[lo] + (h - lo) * (s[min(lo + 1, len(s) - 1)] - s[lo])


def _bw_nrd0(xs: list[float]) -> float:
    n = len(xs)
    mean = sum(xs) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1))
    iqr = _quantile7(xs, 0.75) - _quantile7(xs, 0.25)
    return 0.9 * min(sd, iqr / 1.34) * n ** (-0.2)


def _direct_kd(pts: list[tuple[float, float]], w: list[float] | None, r: list[float], r_max):
    """Kd by the definition: every pair i < j, kernel reflected at 0, normalised on [0, inf)."""
    pairs = []
    for i in range(len(pts)):
        for j in range(i + 1, len(pts)):
            d = math.dist(pts[i], pts[j])
            pairs.append((d, 1.0 if w is None else w[i] * w[j]))
    h = _bw_nrd0([d for d, _ in pairs if d <= 2 * r_max])

    def phi(u):
        return math.exp(-0.5 * (u / h) ** 2) / (h * math.sqrt(2 * math.pi))

    def cdf(u):
        return 0.5 * (1 + math.erf(u / math.sqrt(2)))

    denom = sum(wp * cdf(d / h) for d, wp in pairs) + sum(
        wp * cdf(-d / h) for d, wp in pairs if d <= 4 * h
    )
    out = []
    for x in r:
        num = sum(wp * phi(x - d) for d, wp in pairs)
        num += sum(wp * phi(x + d) for d, wp in pairs if d <= 4 * h)
        out.append(num / denom)
    return np.array(out), h


@pytest.mark.parametrize("weighted", [False, True])
def test_exact_kd_equals_the_direct_computation(plane, weighted):
    coords, a, w = plane
    opt = KdOptions(r_max_km=40, r_step_km=0.5, simulations=0)
    pts = [tuple(c / 1000.0) for c in coords[a]]
    direct, h = _direct_kd(pts, list(w[a]) if weighted else None, list(opt.r), 40)
    est = estimate_kd(coords[a], PLANE, opt, w[a] if weighted else None)
    assert est.bandwidth == pytest.approx(h, rel=1e-12)
    assert np.max(np.abs(est.kd - direct)) <= 1e-12 * direct.max()


def test_kd_integrates_to_one_over_all_distances(plane):
    coords, a, _ = plane
    opt = KdOptions(r_max_km=400, r_step_km=0.25, simulations=0)  # beyond the largest distance
    kd = estimate_kd(coords[a], PLANE, opt).kd
    assert np.trapezoid(kd, opt.r) == pytest.approx(1.0, abs=1e-3)  # trapezoid rule, 0.25 km


# dbmss ---------------------------------------------------------------------------------


def _r_density(x, weights, bw, n, lo_from, hi_to, xout):
    """R's density.default (gaussian): linear binning on n points over [from - 4bw, to + 4bw],
    FFT convolution, linear interpolation to ``xout`` (R 4.x, as dbmss calls it)."""
    n_user = n
    n = max(n, 512)
    if n > 512:
        n = 2 ** math.ceil(math.log2(n))
    lo, up = lo_from - 4 * bw, hi_to + 4 * bw
    y = np.zeros(2 * n)
    delta = (up - lo) / (n - 1)
    for xi, wi in zip(x, weights, strict=True):
        pos = (xi - lo) / delta
        ix = math.floor(pos)
        fx = pos - ix
        if 0 <= ix <= n - 2:
            y[ix] += wi * (1 - fx)
            y[ix + 1] += wi * fx
        elif ix == -1:
            y[0] += wi * fx
        elif ix == n - 1:
            y[ix] += wi * (1 - fx)
    kords = np.linspace(0, 2 * (up - lo), 2 * n)
    kords[n + 1 :] = -kords[n - 1 : 0 : -1]
    kords = np.exp(-0.5 * (kords / bw) ** 2) / (bw * math.sqrt(2 * math.pi))
    conv = np.fft.ifft(np.fft.fft(y) * np.conj(np.fft.fft(kords))).real[:n]
    dens = np.maximum(conv, 0)
    grid = np.linspace(lo, up, n)
    x_user = np.linspace(lo_from, hi_to, math.ceil(n_user))
    return x_user, np.interp(xout if xout is not None else x_user, grid, dens)


def _dbmss_replica(pts_km, w, r, r_max):
    """dbmss::Kdhat(Approximate = 0) step by step, with R's binned density."""
    i, j = np.triu_indices(len(pts_km), 1)
    dist = np.linalg.norm(pts_km[i] - pts_km[j], axis=1)
    weight = None if w is None else w[i] * w[j]
    from clusterobs.spatial.points.bandwidth import bw_nrd0

    bw = bw_nrd0(dist[dist <= 2 * r_max])
    refl = dist <= 4 * bw
    dist_all = np.concatenate([dist, -dist[refl]])
    if weight is None:
        ww = np.full(dist_all.size, 1 / dist_all.size)
    else:
        wall = np.concatenate([weight, weight[refl]])
        ww = wall / wall.sum()
    n_density = min(max(512, dist_all.max() / r_max * 128), 4096)
    x_user, dens = _r_density(dist_all, ww, bw, n_density, 0.0, r_max, None)
    mx, mirrored = _r_density(dist_all, ww, bw, 512, dist_all.min() - 3 * bw, 0.0, None)
    dens = dens / (1 - mirrored.mean() * (mx.max() - mx.min()))
    return np.interp(r, x_user, dens)


@pytest.mark.parametrize("column,weighted", [("kd", False), ("kd_weighted", True)])
def test_kd_against_dbmss(plane, column, weighted):
    coords, a, w = plane
    ref = pd.read_csv(FIXTURES / "dbmss_kd.csv")
    opt = KdOptions(r_max_km=40, r_step_km=0.5, simulations=0)
    ours = estimate_kd(coords[a], PLANE, opt, w[a] if weighted else None).kd
    replica = _dbmss_replica(coords[a] / 1000, w[a] if weighted else None, opt.r, 40)
    peak = ref[column].max()
    assert np.max(np.abs(replica - ref[column])) <= 1e-9 * peak  # the replica is dbmss
    assert np.max(np.abs(ours - ref[column])) <= 5e-3 * peak  # R's binning error only


def test_m_against_dbmss(plane):
    coords, a, w = plane
    ref = pd.read_csv(FIXTURES / "dbmss_m.csv")
    opt = KdOptions(r_max_km=40, r_step_km=0.5, simulations=0)
    for weighted, column in ((False, "m"), (True, "m_weighted")):
        m = MarconPuech(
            coords,
            a,
            PLANE,
            weights=w,
            options=KdOptions(r_max_km=40, r_step_km=0.5, simulations=0, weighted=weighted),
        ).m
        both = ref[column].notna().to_numpy()
        assert np.isnan(m[~both]).all()
        assert np.allclose(m[both], ref[column][both], rtol=1e-12, atol=0)
    assert opt.n_r == len(ref)


def test_bands_against_dbmss():
    sims = pd.read_csv(FIXTURES / "envelope_simulations.csv").drop(columns="r").to_numpy().T
    ref = pd.read_csv(FIXTURES / "dbmss_envelope.csv")
    lo, hi = global_band(sims, 0.05)
    assert np.allclose(lo, ref["global_lo"], atol=1e-12, rtol=0)
    assert np.allclose(hi, ref["global_hi"], atol=1e-12, rtol=0)
    llo, lhi = local_band(sims, 0.05)
    assert np.allclose(llo, ref["local_lo"], atol=1e-12, rtol=0)
    assert np.allclose(lhi, ref["local_hi"], atol=1e-12, rtol=0)


# Simulations, indices, modes --------------------------------------------------------------


def test_simulations_are_seeded_and_detect_the_clumps(plane):
    coords, a, _ = plane
    opt = KdOptions(r_max_km=40, r_step_km=1, simulations=39, seed=3)
    one = DurantonOverman(coords, a, PLANE, options=opt)
    two = DurantonOverman(coords, a, PLANE, options=opt)
    assert np.array_equal(one.simulated, two.simulated)
    assert one.simulated.shape == (39, 41)
    # Industry A sits in two clumps of radius ~4 km: localised at short distances.
    assert one.localised and not one.dispersed
    assert one.distance_ranges("global")[0][0] == 0.0
    gamma = np.maximum(one.kd - one.global_hi, 0).sum() * 1.0
    assert one.localisation == pytest.approx(gamma)
    other = DurantonOverman(
        coords, a, PLANE, options=KdOptions(r_max_km=40, r_step_km=1, simulations=39, seed=4)
    )
    assert not np.array_equal(one.simulated, other.simulated)


def test_dispersion_index_only_without_localisation(plane):
    coords, a, _ = plane
    # Type B is spread evenly over the window: against random location it is not localised.
    kd = DurantonOverman(
        coords, ~a, PLANE, options=KdOptions(r_max_km=40, r_step_km=1, simulations=39)
    )
    if kd.localisation > 0:
        assert kd.dispersion == 0.0
    else:
        psi = np.maximum(kd.global_lo - kd.kd, 0).sum()
        assert kd.dispersion == pytest.approx(psi)


def test_binned_mode_is_close_to_exact_and_named(plane):
    coords, a, _ = plane
    exact = estimate_kd(coords[a], PLANE, KdOptions(r_max_km=40, r_step_km=1, simulations=0))
    binned = estimate_kd(
        coords[a], PLANE, KdOptions(r_max_km=40, r_step_km=1, simulations=0, mode="binned")
    )
    # 2,048 bins over 80 km (0.04 km) against a bandwidth of about 7 km: well below 1 %.
    assert np.max(np.abs(binned.kd - exact.kd)) <= 1e-2 * exact.kd.max()
    kd = DurantonOverman(
        coords, a, PLANE, options=KdOptions(r_max_km=40, simulations=0, mode="binned")
    )
    assert "approximation" in kd.summary()["mode"]


def test_pairs_with_a_kd_tree_equal_brute_force(plane):
    coords, _, w = plane
    i, j, _ = pairs_within(coords, PLANE, 25.0)
    ii, jj = np.triu_indices(len(coords), 1)
    dd = np.linalg.norm(coords[ii] - coords[jj], axis=1) / 1000
    assert sorted(zip(i.tolist(), j.tolist(), strict=True)) == sorted(
        (int(x), int(y)) for x, y, z in zip(ii, jj, dd, strict=True) if z <= 25.0
    )
    edges = np.array([0.0, 5.0, 10.0, 25.0])
    counts = pair_histogram(coords, PLANE, edges, w)
    pw = w[ii] * w[jj]
    expected = [pw[(dd >= lo) & (dd < hi)].sum() for lo, hi in itertools.pairwise(edges)]
    expected[-1] += pw[dd == edges[-1]].sum()  # the last bin is closed
    assert np.allclose(counts, expected, rtol=1e-12)


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="multiple"):
        KdOptions(r_max_km=10, r_step_km=3)
    with pytest.raises(ValueError, match="mode"):
        KdOptions(mode="fast")  # type: ignore[arg-type]
