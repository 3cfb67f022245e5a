"""The documented examples of the R package EconGeo (Balland, version 2.1 on CRAN).

The help pages of ``location_quotient``, ``rca``, ``relatedness_density``, ``kci``, ``morc``
and ``mort`` build their example matrices either literally or with ``set.seed(31)`` and
``sample``; :mod:`tests.complexity.r_rng` rebuilds the sampled ones exactly (checked below
against R outputs every R user knows). The help pages print no results, so the expected
values are derived here: by hand where the numbers allow it, otherwise by the documented
formula written out cell by cell (EconGeo's own definitions, including its quirks: RCA
ties at 1 count as present; ``kci`` rounds its matrix to 4 decimals, hence the 1e-3
tolerance there).
"""

from __future__ import annotations

import numpy as np
import pytest

from clusterobs.complexity.density import relatedness_density
from clusterobs.complexity.eci import EconomicComplexity
from clusterobs.complexity.rca import RevealedComparativeAdvantage
from tests.complexity.r_rng import RRandom, r_matrix

EXACT = 1e-12


def test_r_random_numbers_match_r() -> None:
    # set.seed(123); runif(3) and set.seed(123); sample(1:10) in R >= 3.6.0.
    assert RRandom(123).runif(3) == pytest.approx([0.2875775, 0.7883051, 0.4089769], abs=5e-8)
    assert RRandom(123).sample(list(range(1, 11))) == [3, 10, 2, 8, 6, 9, 1, 7, 5, 4]
    assert RRandom(42).sample(list(range(1, 11))) == [1, 5, 10, 8, 2, 4, 6, 9, 7, 3]


def test_location_quotient_example() -> None:
    mat = np.array(
        [
            [100, 0, 0, 0, 0],
            [0, 15, 5, 70, 10],
            [0, 20, 10, 20, 50],
            [0, 25, 30, 5, 40],
            [0, 40, 55, 5, 0],
        ],
        dtype=float,
    )
    # Every row and column sums to 100 and the total is 500: LQ = (x / 100) / (100 / 500)
    # = x / 20, and the binary version is x >= 20.
    r = RevealedComparativeAdvantage(mat)
    assert r.rca == pytest.approx(mat / 20, abs=EXACT)
    assert (r.presence == (mat >= 20)).all()
    assert r.rca[1].tolist() == pytest.approx([0.0, 0.75, 0.25, 3.5, 0.5], abs=EXACT)


def test_rca_example() -> None:
    # set.seed(31); mat <- matrix(sample(0:100, 20, replace = TRUE), ncol = 4)
    mat = r_matrix(RRandom(31).sample(list(range(101)), 20, replace=True), ncol=4)
    want = np.zeros_like(mat)
    total = mat.sum()
    for i in range(5):
        for j in range(4):
            want[i, j] = (mat[i, j] / mat[i].sum()) / (mat[:, j].sum() / total)
    r = RevealedComparativeAdvantage(mat)
    assert r.rca == pytest.approx(want, abs=EXACT)
    assert (r.presence == (want >= 1)).all()


def _econgeo_example_density() -> tuple[np.ndarray, np.ndarray]:
    rng = RRandom(31)
    mat = r_matrix(rng.sample([0, 1], 20, replace=True), ncol=4)
    rel = r_matrix(rng.sample([0, 1], 16, replace=True), ncol=4)
    # relatedness[lower.tri(relatedness, diag = TRUE)] <- t(relatedness)[lower.tri(...)]
    low = np.tril_indices(4)
    rel[low] = rel.T[low]
    return mat, rel


def test_relatedness_density_example() -> None:
    mat, rel = _econgeo_example_density()
    assert (rel == rel.T).all()
    # EconGeo: round(100 * (mat %*% rel)[r, j] / colSums(rel)[j], 2)
    want = np.full((5, 4), np.nan)
    for r in range(5):
        for j in range(4):
            den = sum(rel[k, j] for k in range(4))
            if den:
                want[r, j] = round(100 * sum(mat[r, k] * rel[k, j] for k in range(4)) / den, 2)
    got = np.round(100 * relatedness_density(mat.astype(bool), rel), 2)
    assert np.array_equal(np.isnan(got), np.isnan(want))
    assert got[~np.isnan(want)] == pytest.approx(want[~np.isnan(want)], abs=EXACT)


def _fig_s4() -> np.ndarray:
    """Hidalgo & Hausmann (2009) Fig. S4 network (EconGeo's kci/morc/mort example)."""
    countries = ["C1", "C1", "C1", "C1", "C2", "C3", "C3", "C4"]
    products = ["P1", "P2", "P3", "P4", "P2", "P3", "P4", "P4"]
    m = np.zeros((4, 4), dtype=bool)
    for c, p in zip(countries, products, strict=True):
        m[int(c[1]) - 1, int(p[1]) - 1] = True
    return m


def _morc(m: np.ndarray, steps: int = 20) -> np.ndarray:
    """EconGeo's ``morc``: reflections, rescaled to 0-100 from the third step on."""
    m = m.astype(float)
    kc0, kp0 = m.sum(axis=1), m.sum(axis=0)

    def rescale(x: np.ndarray) -> np.ndarray:
        return (x - x.min()) / (x.max() - x.min()) * 100

    city = tech = None
    for i in range(1, steps + 1):
        if i == 1:
            city, tech = (m @ kp0) / kc0, (m.T @ kc0) / kp0
        elif i == 2:
            city, tech = (m @ tech) / kc0, (m.T @ city) / kp0
        else:
            city, tech = rescale((m @ tech) / kc0), rescale((m.T @ city) / kp0)
    return city


def _kci(m: np.ndarray) -> np.ndarray:
    """EconGeo's ``kci``: 2nd eigenvector of round(rs %*% cs, 4), divided by its sum."""
    m = m.astype(float)
    cc = np.round((m / m.sum(axis=1)[:, None]) @ (m.T / m.sum(axis=0)[:, None]), 4)
    vals, vecs = np.linalg.eig(cc)
    v = np.real(vecs[:, np.argsort(-np.real(vals))[1]])
    k = v / v.sum()
    return -k if np.corrcoef(k, _morc(m))[0, 1] < 0 else k


def _standardise(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / x.std()


def _oriented(k: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Our orientation: positively correlated with diversity (the issue's convention)."""
    return k if np.corrcoef(m.sum(axis=1), k)[0, 1] >= 0 else -k


def test_kci_and_morc_on_the_hidalgo_hausmann_network() -> None:
    m = _fig_s4()
    ec = EconomicComplexity(m)
    kci = _standardise(_kci(m))
    # kci is the same eigenvector (scaled by its sum; EconGeo rounds the matrix to 4 decimals)
    # but oriented differently: EconGeo by correlation with 20 reflections (morc), we by
    # correlation with diversity. On this network the two orientations disagree.
    assert ec.eci == pytest.approx(_oriented(kci, m), abs=1e-3)
    assert ec.eci == pytest.approx(-kci, abs=1e-3)
    assert np.corrcoef(m.sum(axis=1), ec.eci)[0, 1] > 0
    # The method of reflections converges to the same vector up to an affine map.
    assert abs(np.corrcoef(_morc(m), ec.eci)[0, 1]) == pytest.approx(1.0, abs=1e-6)


def test_kci_with_rca_example() -> None:
    # set.seed(31); mat <- matrix(sample(0:10, 20, replace = TRUE), ncol = 4); kci(mat, rca=TRUE)
    mat = r_matrix(RRandom(31).sample(list(range(11)), 20, replace=True), ncol=4)
    mat = mat[mat.sum(axis=1) > 0][:, mat.sum(axis=0) > 0]
    m = RevealedComparativeAdvantage(mat).presence
    ec = EconomicComplexity(m)
    assert ec.eci == pytest.approx(_oriented(_standardise(_kci(m)), m), abs=1e-3)
