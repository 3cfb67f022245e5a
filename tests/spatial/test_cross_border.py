"""Merging contiguous hot spots into clusters with combined employment, LQs and shares."""

from __future__ import annotations

import pandas as pd
import pytest

from clusterobs.spatial.cross_border import merge_hot_spots


def test_components_of_the_contiguity_graph(rook):
    clusters = merge_hot_spots(["r0", "r1", "r4", "r8"], rook)
    assert sorted(c.members for c in clusters) == [["r0", "r1", "r4"], ["r8"]]
    assert [c.cross_border for c in clusters] == [True, False]
    assert [c.cluster_id for c in clusters] == [1, 2]


def test_diagonal_hot_spots_merge_only_under_queen(lattice, rook):
    from clusterobs.spatial.weights import build_weights

    assert len(merge_hot_spots(["r0", "r4"], rook)) == 2
    assert len(merge_hot_spots(["r0", "r4"], build_weights(lattice, "queen"))) == 1


def test_combined_employment_lq_and_shares(rook):
    figures = pd.DataFrame(
        {
            "region_code": ["r0", "r1", "r2"],
            "value": [2.0, 3.0, 0.5],
            "employment": [100.0, 300.0, 10.0],
            "region_total": [1000.0, 2000.0, 500.0],
            "reference_total": [400.0, 600.0, 200.0],
        }
    )
    national = {"employment": 1000.0, "total": 50_000.0, "reference_total": 20_000.0}
    (c,) = merge_hot_spots(
        ["r0", "r1"], rook, names={"r0": "West", "r1": "Middle"}, figures=figures, national=national
    )
    assert c.employment == 400.0
    assert c.lq_total == pytest.approx((400 / 3000) / (1000 / 50_000), rel=1e-12)
    assert c.lq_traded_local == pytest.approx((400 / 1000) / (1000 / 20_000), rel=1e-12)
    assert c.shares == {"r0": 0.25, "r1": 0.75}
    assert c.name == "Middle – West"  # largest share first
    assert c.mean_value == pytest.approx(2.5)
