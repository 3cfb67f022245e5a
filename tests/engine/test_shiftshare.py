"""Shift-share: Farhauer & Kroll's worked example, via the class and the whole pipeline."""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
import pytest

from clusterobs.mapping.change import cagr
from clusterobs.mapping.coverage import pairs as year_pairs
from clusterobs.mapping.result import MappingOptions
from clusterobs.mapping.shiftshare import esteban_marquillas
from tests.engine.conftest import build_frame
from tests.engine.reference import ShiftShare


def _value(expr: ibis.Value) -> float:
    """Evaluate one engine expression on literals (DuckDB)."""
    return ibis.duckdb.connect().execute(expr)


NATION = ((400, 150, 150, 400), (440, 210, 135, 480))
REGION_A = ((90, 20, 10, 60), (100, 40, 10, 55))
REGION_B = ((60, 30, 30, 40), (85, 55, 40, 35))


@pytest.mark.parametrize(
    ("region", "expected"), [(REGION_A, (25, 27, 1, -3)), (REGION_B, (55, 24, -1, 32))]
)
def test_farhauer_kroll_example(region: tuple, expected: tuple) -> None:
    ss = ShiftShare(region[0], region[1], NATION[0], NATION[1])
    growth, ns, im, rs = expected
    assert ss.growth == pytest.approx(growth)
    assert pytest.approx((ns, im, rs)) == (ss.NS, ss.IM, ss.RS)


def test_pipeline_change_reproduces_the_example() -> None:
    """Regions A and B plus a rest-of-nation region so that national totals are the example's."""
    rest0 = np.array(NATION[0]) - REGION_A[0] - np.array(REGION_B[0])
    rest1 = np.array(NATION[1]) - REGION_A[1] - np.array(REGION_B[1])
    rows = []
    for name, (e0, e1) in {"A": REGION_A, "B": REGION_B, "rest": (rest0, rest1)}.items():
        for year, values in ((2000, e0), (2001, e1)):
            for j, v in enumerate(values):
                rows.append(
                    {"region": name, "industry": f"10000{j}", "year": year, "employment": float(v)}
                )
    clusters = {f"c{j}": [f"10000{j}"] for j in range(4)}
    res = build_frame(pd.DataFrame(rows), clusters, options=MappingOptions(esteban_marquillas=True))
    ch = res.cluster_region_change
    ch = ch[ch["subcluster_code"].isna()]
    for region, expected in (("A", (25, 27, 1, -3)), ("B", (55, 24, -1, 32))):
        part = ch[ch["region_code"] == region]
        sums = part[["job_creation", "ss_national_share", "ss_industry_mix", "ss_regional_share"]]
        assert sums.sum().to_numpy() == pytest.approx(expected)
        # expected job creation = national share + industry mix
        assert part["expected_job_creation"].sum() == pytest.approx(expected[1] + expected[2])
        em = part["ss_em_competitive"] + part["ss_em_allocation"]
        assert em.to_numpy() == pytest.approx(part["ss_regional_share"].to_numpy())


def test_esteban_marquillas_split_sums_to_regional_share() -> None:
    lit = ibis.literal
    g_cluster = lit(440.0) / lit(400.0) - 1.0
    em = esteban_marquillas(lit(90.0), lit(100.0), lit(180.0), lit(400.0), lit(1100.0), g_cluster)
    total = _value(em["ss_em_competitive"] + em["ss_em_allocation"])
    assert total == pytest.approx(100 - 90 * 1.1)


def test_cagr_and_pairs() -> None:
    lit = ibis.literal
    assert _value(cagr(lit(100.0), lit(121.0), lit(2.0))) == pytest.approx(0.1)
    assert pd.isna(_value(cagr(lit(0.0), lit(5.0), lit(1.0))))  # null: no growth from zero
    assert year_pairs([2008, 2009, 2010, 2011], {}) == [
        (2008, 2009), (2009, 2010), (2010, 2011), (2008, 2011),
    ]  # fmt: skip
