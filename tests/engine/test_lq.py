"""Location quotients: EconGeo's documented example and both published denominators."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.engine.conftest import build_frame, long_table
from tests.engine.reference import LocationQuotient, location_quotient

ECONGEO = [[44, 63, 8, 83], [48, 42, 10, 1], [74, 54, 96, 16], [39, 26, 28, 13], [89, 61, 45, 76]]


def test_econgeo_documented_example() -> None:
    documented = [0.6923658352, 1.1847745750, 0.1979149787, 2.0316391428]
    assert LocationQuotient(np.array(ECONGEO)).lq[0] == pytest.approx(documented)
    clusters = {f"c{j}": [f"1000{j:02d}"] for j in range(4)}
    res = build_frame(long_table(ECONGEO), clusters).cluster_region_year
    engine = res[res["region_code"] == "r0"].sort_values("cluster_code")["lq_total"]
    assert engine.to_numpy() == pytest.approx(documented)
    assert len(res) == 5 * 4


def test_engine_lq_total_matches_econgeo_when_each_industry_is_a_cluster() -> None:
    clusters = {f"c{j}": [f"1000{j:02d}"] for j in range(4)}
    res = build_frame(long_table(ECONGEO), clusters).cluster_region_year
    r0 = res[res["region_code"] == "r0"].sort_values("cluster_code")
    assert r0["lq_total"].to_numpy() == pytest.approx(LocationQuotient(ECONGEO).lq[0])
    # All four clusters traded: the traded denominator equals the total here.
    assert r0["lq_traded_local"].to_numpy() == pytest.approx(r0["lq_total"].to_numpy())


def test_traded_local_denominator_differs_from_total() -> None:
    # Two regions; industries 00,01 traded cluster T; 02 local cluster L; 03 unclustered.
    rows = long_table([[10, 30, 60, 100], [40, 20, 20, 20]])
    defn = pd.DataFrame(
        {
            "industry_code": ["100000", "100001", "100002"],
            "cluster_code": ["T1", "T2", "L"],
            "cluster_name": ["t1", "t2", "l"],
            "subcluster_code": [None, None, None],
            "subcluster_name": [None, None, None],
            "traded_local": ["traded", "traded", "local"],
        }
    )
    res = build_frame(rows, defn).cluster_region_year.set_index(["region_code", "cluster_code"])
    # Region r0: traded employment 40, total 200; nation T1 50, traded 100, total 300.
    assert res.loc[("r0", "T1"), "lq_traded_local"] == pytest.approx((10 / 40) / (50 / 100))
    assert res.loc[("r0", "T1"), "lq_total"] == pytest.approx((10 / 200) / (50 / 300))
    # Local cluster: denominator is local employment (60 of 80 nationally).
    assert res.loc[("r0", "L"), "lq_traded_local"] == pytest.approx((60 / 60) / (80 / 80))
    assert res.loc[("r0", "T1"), "region_share"] == pytest.approx(10 / 200)
    assert res.loc[("r0", "T1"), "national_share"] == pytest.approx(10 / 50)


def test_published_total_row_is_the_all_industry_denominator() -> None:
    rows = long_table([[10, 30], [40, 20]])
    totals = pd.DataFrame(
        {"region": ["r0", "r1"], "industry": ["TOTAL"] * 2, "year": 2010, "employment": [100.0, 60]}
    )
    res = build_frame(pd.concat([rows, totals]), {"c": ["100000"]}, total_code="TOTAL")
    r0 = res.cluster_region_year.set_index("region_code").loc["r0"]
    assert r0["region_total"] == 100
    assert r0["lq_total"] == pytest.approx((10 / 100) / (50 / 160))
    assert res.region_year.set_index("region_code").loc["r0", "employment"] == 100


def test_zero_denominator_gives_null() -> None:
    assert np.isnan(location_quotient([1.0], [0.0], [1.0], [1.0])[0])
