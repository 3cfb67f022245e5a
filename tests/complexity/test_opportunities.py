"""Opportunity ranking, reasons and the smart-specialisation check on hand-made rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterobs.complexity.opportunities import (
    check_priorities,
    place,
    rank_opportunities,
    reasons,
)

EXACT = 1e-12


def _units() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "industry_code": ["a", "b", "c", "d", "e"],
            "present": [False, False, False, True, False],
            "density": [0.2, 0.4, 0.6, 0.9, 0.5],
            "pci": [1.0, 0.0, -1.0, 2.0, np.nan],
            "cog": [0.3, 0.1, 0.2, 0.0, 0.4],
            "national_employment": [100.0, 300.0, 600.0, 50.0, 10.0],
            "wage": [50_000.0, np.nan, 30_000.0, 80_000.0, 40_000.0],
        }
    )


def test_candidates_scores_and_ranks_by_hand() -> None:
    ranked = rank_opportunities(_units(), weights={"density": 0.5, "pci": 0.5})
    # d is present and e has no PCI: candidates a, b, c. Density (0.2, 0.4, 0.6) and PCI
    # (1, 0, -1) have z-scores (-s, 0, s) and (s, 0, -s), s = 1/std = sqrt(3/2): every score 0,
    # ties broken by density, then code.
    assert ranked["industry_code"].tolist() == ["c", "b", "a"]
    assert ranked["score"].to_numpy() == pytest.approx([0.0, 0.0, 0.0], abs=EXACT)
    ranked = rank_opportunities(_units(), weights={"density": 0.5, "pci": 0.25})
    s = np.sqrt(1.5)
    want = {"a": (0.5 * -s + 0.25 * s) / 0.75, "b": 0.0, "c": (0.5 * s - 0.25 * s) / 0.75}
    got = dict(zip(ranked["industry_code"], ranked["score"], strict=True))
    assert got == pytest.approx(want, abs=EXACT)
    assert ranked["rank"].tolist() == [1, 2, 3] and ranked["industry_code"][0] == "c"


def test_a_missing_criterion_rescales_the_weights() -> None:
    ranked = rank_opportunities(_units(), weights={"density": 0.5, "wage": 0.5})
    got = dict(zip(ranked["industry_code"], ranked["score"], strict=True))
    # b has no wage: its score is its density z-score alone (0); a and c: wage z = -1, +1 ...
    assert got["b"] == pytest.approx(0.0, abs=EXACT)
    # wages of a, c: 50,000 and 30,000 -> z +1 and -1; density z of a, c: -s and +s.
    s = np.sqrt(1.5)
    assert got["a"] == pytest.approx((0.5 * -s + 0.5 * 1.0) / 1.0, abs=EXACT)
    assert got["c"] == pytest.approx((0.5 * s + 0.5 * -1.0) / 1.0, abs=EXACT)


def test_reasons_are_present_neighbours_and_their_share() -> None:
    neighbours = pd.DataFrame(
        {
            "industry_code": ["a", "a", "a", "b"],
            "related_industry_code": ["d", "x", "y", "y"],
            "proximity": [0.8, 0.5, 0.3, 0.6],
        }
    )
    # a: present neighbours d (0.8) and y (0.3); density 0.5 with sum phi 2.2 -> the region's
    # weighted sum is 1.1, of which d and y give 1.1: share 1.
    out = reasons(["a", "b"], {"d", "y"}, neighbours, {"a": 0.5, "b": 0.3}, {"a": 2.2, "b": 4.0})
    assert out["a"][0] == [("d", 0.8), ("y", 0.3)]
    assert out["a"][1] == pytest.approx(1.0, abs=EXACT)
    assert out["b"][0] == [("y", 0.6)] and out["b"][1] == pytest.approx(0.6 / 1.2, abs=EXACT)


def test_place_weights_by_national_employment() -> None:
    pos = place(_units(), ["a", "c"])
    assert pos["density"] == pytest.approx((0.2 * 100 + 0.6 * 600) / 700, abs=EXACT)
    assert pos["pci"] == pytest.approx((1.0 * 100 - 1.0 * 600) / 700, abs=EXACT)
    assert pos["present_share"] == 0.0
    assert place(_units(), ["zz"])["density"] is None


def test_priorities_fall_in_quadrants() -> None:
    units = _units()
    all_pci = pd.Series([1.0, 0.0, -1.0, 2.0, 0.5])  # median 0.5
    res = check_priorities(units, {"a": ["a"], "c": ["c"], "d": ["d"]}, all_pci=all_pci)
    # Candidates a, b, c (e has no PCI): median density 0.4.
    assert res["density_cut"] == pytest.approx(0.4) and res["pci_cut"] == pytest.approx(0.5)
    q = {r["priority"]: r["quadrant"] for r in res["rows"]}
    assert q == {"a": "ambitious", "c": "safe", "d": "ideal"}
    ranks = {r["priority"]: r["best_rank"] for r in res["rows"]}
    assert ranks["d"] is None and ranks["a"] in (1, 2, 3)
