"""Moran's I, LISA, Gi* and the Benjamini-Hochberg correction on a 3 x 3 lattice, against values
derived by hand here (formulas written out, neighbour lists from conftest.ROOK)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from clusterobs.spatial.fdr import benjamini_hochberg
from clusterobs.spatial.getis_ord import GetisOrdGiStar
from clusterobs.spatial.lisa import LocalMoran
from clusterobs.spatial.moran import GlobalMoran
from tests.spatial.conftest import LATTICE, ROOK

CHECKERBOARD = [1, 0, 1, 0, 1, 0, 1, 0, 1]
# Floating-point sums of nine terms: 1e-12 leaves room for rounding and nothing else.
TOL = 1e-12


def test_lattice_weights_are_the_hand_written_rook_neighbours(rook):
    assert rook.ids == LATTICE
    assert rook.neighbors == ROOK
    assert rook.islands == []


def test_moran_checkerboard_is_minus_one(rook):
    """Every rook neighbour of a 1 is a 0 and vice versa: with row-standardised weights
    sum_i z_i lag_i = -20/9 = -sum z^2, so I = -1 exactly."""
    m = GlobalMoran(CHECKERBOARD, rook, permutations=99)
    assert pytest.approx(-1.0, abs=TOL) == m.I
    assert pytest.approx(-1 / 8, abs=TOL) == m.EI


def _moran_by_hand(y: list[float]) -> dict[str, float]:
    n = len(y)
    mean = sum(y) / n
    z = [v - mean for v in y]
    w = {
        (i, j): 1 / len(ROOK[LATTICE[i]])
        for i in range(n)
        for j in range(n)
        if LATTICE[j] in ROOK[LATTICE[i]]
    }
    s0 = sum(w.values())
    num = sum(wij * z[i] * z[j] for (i, j), wij in w.items())
    i_stat = n / s0 * num / sum(v * v for v in z)
    s1 = 0.5 * sum((w.get((i, j), 0) + w.get((j, i), 0)) ** 2 for i in range(n) for j in range(n))
    s2 = sum(
        (sum(w.get((i, j), 0) for j in range(n)) + sum(w.get((j, i), 0) for j in range(n))) ** 2
        for i in range(n)
    )
    ei = -1 / (n - 1)
    vi_norm = (n * n * s1 - n * s2 + 3 * s0 * s0) / ((n * n - 1) * s0 * s0) - ei * ei
    return {"I": i_stat, "EI": ei, "VI_norm": vi_norm, "z_norm": (i_stat - ei) / math.sqrt(vi_norm)}


def test_moran_equals_the_formula_written_out(rook):
    y = [3.0, 5.0, 4.0, 2.0, 9.0, 7.0, 1.0, 6.0, 8.0]
    hand = _moran_by_hand(y)
    m = GlobalMoran(y, rook, permutations=0)
    assert pytest.approx(hand["I"], abs=TOL) == m.I
    assert pytest.approx(hand["EI"], abs=TOL) == m.EI
    assert m.VI_norm == pytest.approx(hand["VI_norm"], abs=TOL)
    assert m.z_norm == pytest.approx(hand["z_norm"], abs=1e-10)


def test_moran_permutation_p_is_seeded(rook):
    y = [3.0, 5.0, 4.0, 2.0, 9.0, 7.0, 1.0, 6.0, 8.0]
    a = GlobalMoran(y, rook, permutations=199, seed=5)
    b = GlobalMoran(y, rook, permutations=199, seed=5)
    state = np.random.get_state()[1][:5].copy()
    GlobalMoran(y, rook, permutations=199, seed=6)
    assert a.p_sim == b.p_sim
    assert 1 / 200 <= a.p_sim <= 1
    # The global NumPy stream is restored after the seeded permutations.
    assert (np.random.get_state()[1][:5] == state).all()


def test_lisa_checkerboard_by_hand(rook):
    """I_i = (n-1) z_i lag_i / sum z^2 = 8 (4/9)(-5/9) / (20/9) = -8/9 in every cell; ones are
    high values among low neighbours (HL), zeros the reverse (LH)."""
    lm = LocalMoran(CHECKERBOARD, rook, permutations=99)
    assert np.allclose(lm.Is, -8 / 9, atol=TOL, rtol=0)
    assert list(lm.quadrant) == ["HL" if v else "LH" for v in CHECKERBOARD]


def test_lisa_equals_the_formula_written_out(rook):
    y = [3.0, 5.0, 4.0, 2.0, 9.0, 7.0, 1.0, 6.0, 8.0]
    mean = sum(y) / 9
    z = [v - mean for v in y]
    ss = sum(v * v for v in z)
    for i, code in enumerate(LATTICE):
        nb = ROOK[code]
        lag = sum(z[LATTICE.index(c)] for c in nb) / len(nb)
        expected = 8 * z[i] * lag / ss
        assert LocalMoran(y, rook, permutations=9).Is[i] == pytest.approx(expected, abs=TOL)


def test_gi_star_single_peak_by_hand(rook):
    """x = 9 in the centre, 0 elsewhere: mean 1, S^2 = 81/9 - 1 = 8.
    Centre (W=5): z = (9 - 5) / (sqrt 8 sqrt((45 - 25)/8)) = 2 / sqrt 5, G* = 1.
    Corner r0 (W=3, sum 0): z = -3 / (sqrt 8 sqrt((27 - 9)/8)) = -1 / sqrt 2.
    Edge r1 (W=4, sum 9): z = 5 / (sqrt 8 sqrt((36 - 16)/8)) = sqrt 5 / 2."""
    x = [0, 0, 0, 0, 9, 0, 0, 0, 0]
    g = GetisOrdGiStar(x, rook, permutations=99)
    assert g.G[4] == pytest.approx(1.0, abs=TOL)
    assert g.G[0] == pytest.approx(0.0, abs=TOL)
    assert g.G[1] == pytest.approx(1.0, abs=TOL)
    assert g.z_norm[4] == pytest.approx(2 / math.sqrt(5), abs=TOL)
    assert g.z_norm[0] == pytest.approx(-1 / math.sqrt(2), abs=TOL)
    assert g.z_norm[1] == pytest.approx(math.sqrt(5) / 2, abs=TOL)


def test_gi_star_general_formula(rook):
    x = [3.0, 5.0, 4.0, 2.0, 9.0, 7.0, 1.0, 6.0, 8.0]
    n, mean = 9, sum(x) / 9
    s = math.sqrt(sum(v * v for v in x) / n - mean * mean)
    g = GetisOrdGiStar(x, rook, permutations=9)
    for i, code in enumerate(LATTICE):
        members = [i] + [LATTICE.index(c) for c in ROOK[code]]
        wi = len(members)
        expected_z = (sum(x[j] for j in members) - mean * wi) / (
            s * math.sqrt((n * wi - wi * wi) / (n - 1))
        )
        assert g.z_norm[i] == pytest.approx(expected_z, abs=1e-12)
        assert g.G[i] == pytest.approx(sum(x[j] for j in members) / sum(x), abs=TOL)
        assert g.p_norm[i] == pytest.approx(math.erfc(abs(expected_z) / math.sqrt(2)), abs=1e-12)


def test_benjamini_hochberg_by_hand():
    """m = 4: sorted 0.01, 0.03, 0.04, 0.2 -> m p / rank 0.04, 0.06, 0.0533, 0.2 -> step-up
    minimum from the top: 0.04, 0.0533, 0.0533, 0.2; a missing p-value is not a test."""
    q = benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.2, np.nan]))
    assert q[:4] == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.2], abs=TOL)
    assert np.isnan(q[4])


def test_significance_uses_the_corrected_q(rook):
    y = [10.0, 9.0, 1.0, 9.0, 8.0, 1.0, 1.0, 1.0, 0.5]
    lm = LocalMoran(y, rook, permutations=999, alpha=0.05, seed=1)
    assert (lm.significant == (lm.q <= 0.05)).all()
    assert (lm.q >= lm.p_sim - 1e-15).all()  # correction never lowers a p-value
    labels = set(lm.label)
    assert labels <= {"HH", "LL", "HL", "LH", "ns"}


def test_missing_values_are_refused_not_filled(rook):
    with pytest.raises(ValueError, match="r2: value is missing"):
        GlobalMoran([1, 2, np.nan, 4, 5, 6, 7, 8, 9], rook)


def test_gi_star_refuses_negative_values(rook):
    with pytest.raises(ValueError, match="non-negative"):
        GetisOrdGiStar([1, -2, 3, 4, 5, 6, 7, 8, 9], rook)


def test_constant_values_are_refused(rook):
    with pytest.raises(ValueError, match="same value"):
        LocalMoran([2.0] * 9, rook)
