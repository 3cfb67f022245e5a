"""Each statistic on small matrices whose values are derived by hand (exact fractions) here.

Tolerances: 1e-12 where the engine's floating point meets exact fractions (double rounding of a
few operations); the eigenvector comes from a characteristic polynomial solved by hand.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from clusterobs.complexity import ComplexityOptions, compute_complexity
from clusterobs.complexity.density import relatedness_density
from clusterobs.complexity.diversity_ubiquity import diversity, ubiquity
from clusterobs.complexity.eci import EconomicComplexity
from clusterobs.complexity.fitness import FitnessComplexity
from clusterobs.complexity.outlook import complexity_outlook_gain, complexity_outlook_index
from clusterobs.complexity.proximity import proximity, proximity_from_table
from clusterobs.complexity.rca import RevealedComparativeAdvantage

EXACT = 1e-12

# Regions R1..R4 x industries A, B, C (the proximity example).
M4 = np.array([[1, 1, 0], [1, 0, 1], [1, 1, 1], [0, 1, 0]], dtype=bool)
# Nested: R1 has A, B, C; R2 has A, B; R3 has A.
NESTED = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]], dtype=bool)


def test_rca_and_presence_threshold() -> None:
    # Region totals 10 and 30, industry totals 20 and 20, grand total 40.
    e = np.array([[8.0, 2.0], [12.0, 18.0]])
    r = RevealedComparativeAdvantage(e)
    want = [[(8 / 10) / (20 / 40), (2 / 10) / (20 / 40)], [(12 / 30) / 0.5, (18 / 30) / 0.5]]
    assert r.rca == pytest.approx(np.array(want), abs=EXACT)
    assert r.presence.tolist() == [[True, False], [False, True]]
    # RCA exactly at the threshold counts as present (>=, as EconGeo and ecomplexity).
    same = RevealedComparativeAdvantage(np.array([[5.0, 5.0], [5.0, 5.0]]))
    assert same.rca.tolist() == [[1.0, 1.0], [1.0, 1.0]] and same.presence.all()
    assert not RevealedComparativeAdvantage(e, threshold=2.0).presence.any()


def test_rca_with_given_region_totals_is_lq_total() -> None:
    # Clusters cover part of the economy: E_r = 20 and 60 (all industries), E = 80.
    e = np.array([[8.0, 2.0], [12.0, 18.0]])
    r = RevealedComparativeAdvantage(e, region_totals=np.array([20.0, 60.0]))
    assert r.rca[0, 0] == pytest.approx((8 / 20) / (20 / 80), abs=EXACT)
    assert r.rca[1, 1] == pytest.approx((18 / 60) / (20 / 80), abs=EXACT)


def test_diversity_and_ubiquity() -> None:
    assert diversity(M4).tolist() == [2, 2, 3, 1]
    assert ubiquity(M4).tolist() == [3, 3, 2]


def test_proximity_by_hand() -> None:
    # Ubiquity A 3, B 3, C 2; co-occurrences AB 2 (R1, R3), AC 2 (R2, R3), BC 1 (R3).
    phi = proximity(M4)
    want = np.array([[1, 2 / 3, 2 / 3], [2 / 3, 1, 1 / 3], [2 / 3, 1 / 3, 1]])
    assert phi == pytest.approx(want, abs=EXACT)


def test_density_coi_and_cog_by_hand() -> None:
    phi = proximity(M4)
    dens = relatedness_density(M4, phi)
    # Row sums of phi: A 7/3, B 2, C 2.
    assert dens[0] == pytest.approx([5 / 7, 5 / 6, 1 / 2], abs=EXACT)  # R1 has A, B
    assert dens[3] == pytest.approx([2 / 7, 1 / 2, 1 / 6], abs=EXACT)  # R4 has B
    pci = np.array([-1.0, 0.5, 2.0])
    coi = complexity_outlook_index(M4, dens, pci)
    # R4 lacks A and C: 2/7 * -1 + 1/6 * 2 = 1/21. R3 lacks nothing: 0.
    assert coi[3] == pytest.approx(1 / 21, abs=EXACT)
    assert coi[2] == 0.0
    cog = complexity_outlook_gain(M4, phi, pci)
    # R4, developing A: A's own term -1 * 1/(7/3) plus C: 2 * (2/3)/2 -> 5/21.
    # R4, developing C: A: -1 * (2/3)/(7/3) = -2/7, C: 2 * 1/2 = 1 -> 5/7. B is present: 0.
    assert cog[3] == pytest.approx([5 / 21, 0.0, 5 / 7], abs=EXACT)
    assert cog[2].tolist() == [0.0, 0.0, 0.0]


def _eigen_by_hand() -> tuple[np.ndarray, np.ndarray]:
    """ECI and PCI of NESTED from the characteristic polynomial of M~ (exact fractions)."""
    k_r = [3, 2, 1]
    k_p = [3, 2, 1]
    m = [[int(x) for x in row] for row in NESTED]
    mt = [
        [sum(Fraction(m[r][p] * m[r][q], k_r[r] * k_p[p]) for r in range(3)) for q in range(3)]
        for p in range(3)
    ]
    assert mt[0] == [Fraction(11, 18), Fraction(5, 18), Fraction(1, 9)]
    trace = mt[0][0] + mt[1][1] + mt[2][2]
    det = (
        mt[0][0] * (mt[1][1] * mt[2][2] - mt[1][2] * mt[2][1])
        - mt[0][1] * (mt[1][0] * mt[2][2] - mt[1][2] * mt[2][0])
        + mt[0][2] * (mt[1][0] * mt[2][1] - mt[1][1] * mt[2][0])
    )
    # Eigenvalue 1 (constant vector; rows sum to 1) divides out: the others solve
    # x^2 - (trace - 1) x + det = 0.
    s, p = float(trace - 1), float(det)
    lam2 = (s + np.sqrt(s * s - 4 * p)) / 2
    a = np.array([[float(v) for v in row] for row in mt]) - lam2 * np.eye(3)
    k = np.cross(a[0], a[1])  # the null vector of a rank-2 matrix
    k /= np.linalg.norm(k)
    kc = np.array([k[:3] @ np.array(row, dtype=float) for row in m]) / np.array(k_r)
    if np.corrcoef(k_r, kc)[0, 1] < 0:
        k, kc = -k, -kc
    mean, std = kc.mean(), kc.std()
    return (kc - mean) / std, (k - mean) / std


def test_eci_pci_of_a_nested_matrix_by_hand() -> None:
    want_eci, want_pci = _eigen_by_hand()
    ec = EconomicComplexity(NESTED)
    assert ec.eci == pytest.approx(want_eci, abs=1e-10)
    assert ec.pci == pytest.approx(want_pci, abs=1e-10)
    # The most diverse region is the most complex; the rarest industry the most complex.
    assert list(np.argsort(-ec.eci)) == [0, 1, 2]
    assert list(np.argsort(-ec.pci)) == [2, 1, 0]
    assert ec.eigenvalues[0] == pytest.approx(1.0, abs=EXACT)
    assert ec.connected


def test_eci_is_mean_pci_of_present_industries() -> None:
    rng = np.random.default_rng(7)
    m = rng.random((40, 25)) < 0.3
    ec = EconomicComplexity(m)
    for r in range(40):
        if m[r].any():
            assert ec.eci[r] == pytest.approx(ec.pci[m[r]].mean(), abs=1e-10)
    assert np.corrcoef(diversity(m), ec.eci)[0, 1] > 0
    assert ec.eci[m.any(axis=1)].mean() == pytest.approx(0.0, abs=1e-12)
    assert ec.eci[m.any(axis=1)].std() == pytest.approx(1.0, abs=1e-12)


def test_empty_rows_are_missing_not_zero_and_disconnected_flagged() -> None:
    m = NESTED.copy()
    m = np.vstack([m, np.zeros(3, dtype=bool)])
    ec = EconomicComplexity(m)
    assert np.isnan(ec.eci[3]) and not np.isnan(ec.eci[:3]).any()
    # Two separate blocks: the second eigenvalue is 1, the ECI only separates the blocks.
    blocks = np.array([[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]], dtype=bool)
    assert not EconomicComplexity(blocks).connected


def test_fitness_first_iteration_by_hand() -> None:
    fc = FitnessComplexity(NESTED, max_iterations=1)
    # F~ = M 1 = (3, 2, 1), mean 2; Q~ = 1 / (sum_r M_rp / 1) = (1/3, 1/2, 1), mean 11/18.
    assert fc.fitness == pytest.approx([1.5, 1.0, 0.5], abs=EXACT)
    assert fc.complexity == pytest.approx([6 / 11, 9 / 11, 18 / 11], abs=EXACT)
    converged = FitnessComplexity(M4)
    assert converged.iterations > 1
    assert np.argmax(converged.fitness) == 2  # R3 has every industry


def test_proximity_from_a_table() -> None:
    industries = pd.Index(["A", "B", "C"])
    table = pd.DataFrame(
        {
            "industry_code": ["A", "B", "X"],
            "related_industry_code": ["B", "C", "A"],
            "proximity": [0.5, 0.25, 1.0],
        }
    )
    phi = proximity_from_table(table, industries)
    # Symmetric, diagonal 1, unlisted pairs 0, codes outside the matrix ignored.
    assert phi.tolist() == [[1.0, 0.5, 0.0], [0.5, 1.0, 0.25], [0.0, 0.25, 1.0]]


def _long(matrix: np.ndarray, regions: list[str], industries: list[str], year: int = 2011):
    r, p = np.nonzero(np.ones_like(matrix, dtype=bool))
    return pd.DataFrame(
        {
            "region_code": [regions[i] for i in r],
            "industry_code": [industries[j] for j in p],
            "year": year,
            "employment": matrix[r, p].astype(float),
        }
    )


def test_long_table_in_long_tables_out() -> None:
    e = np.array([[10.0, 5.0, 1.0], [8.0, 4.0, 0.0], [9.0, 0.0, 0.0], [2.0, 30.0, 20.0]])
    df = _long(e, ["r1", "r2", "r3", "r4"], ["a", "b", "c"])
    res = compute_complexity(df, region_type=None, options=ComplexityOptions(fitness=True))
    assert list(res.region.columns) == [
        "region_type",
        "region_code",
        "year",
        "diversity",
        "eci",
        "coi",
        "fitness",
    ]
    d = res.density.set_index(["region_code", "industry_code"])
    rca = RevealedComparativeAdvantage(e).rca
    assert d.loc[("r4", "b"), "rca"] == pytest.approx(rca[3, 1], abs=EXACT)
    assert d.loc[("r2", "c"), "employment"] == 0.0
    assert len(res.density) == 12
    assert res.proximity["rank"].min() == 1
