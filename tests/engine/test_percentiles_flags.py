"""Percentile conventions, U.S. Cluster Mapping flags and European Cluster Observatory stars."""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
import pytest

from clusterobs.mapping.percentiles import rank_percentile, thresholds
from tests.engine.conftest import build_frame


def _frame(values: list[float], emp: list[float]) -> ibis.Table:
    """One peer group (engine keys ``rt, k, year``) as an engine table."""
    n = len(values)
    return ibis.memtable(
        pd.DataFrame(
            {"row": range(n), "rt": 0, "k": 0, "year": 2010, "value": values, "employment": emp}
        )
    )


def _run(expr: ibis.Table) -> pd.DataFrame:
    return ibis.duckdb.connect().execute(expr)


def test_quantile_is_linear_interpolation_over_regions_with_employment() -> None:
    t = _frame([1.0, 2.0, 3.0, 4.0, 100.0], [5, 5, 5, 5, 0])
    q = _run(thresholds(t, {"q": ("value", 0.25)}))["q"]
    # The region without employment is not a peer: numpy linear on [1,2,3,4].
    assert q.iloc[0] == pytest.approx(np.percentile([1, 2, 3, 4], 25, method="linear"))
    assert q.iloc[0] == pytest.approx(1.75)


def test_rank_percentile_formula() -> None:
    t = _frame([10.0, 30.0, 20.0, 40.0, 7.0], [1, 1, 1, 1, 0])
    rank_expr, pct_expr = rank_percentile(t, "value", ["rt", "k", "year"], t.employment > 0)
    df = _run(t.mutate(rank=rank_expr, pct=pct_expr).order_by("row"))
    rank, pct = df["rank"].astype("Int64"), df["pct"].astype("Int64")
    # N = 4 peers; ascending i: 10->0, 20->1, 30->2, 40->3; round(100 (i+0.5)/4)
    assert pct.tolist()[:4] == [13, 63, 38, 88]
    assert rank.tolist()[:4] == [4, 2, 3, 1]
    assert pd.isna(pct.iloc[4]) and pd.isna(rank.iloc[4])


def _regions_table(n: int = 20) -> tuple[pd.DataFrame, dict]:
    """n regions; traded cluster T (industry 100000) grows with region index; filler industry
    100001 (traded cluster F) and local industry 100002 (local cluster L)."""
    rows = []
    for i in range(n):
        for code, emp, est in (
            ("100000", 10.0 * (i + 1), i + 1),
            ("100001", 500.0, 20),
            ("100002", 300.0, 30),
        ):
            rows.append(
                {
                    "region": f"r{i:02d}",
                    "industry": code,
                    "year": 2010,
                    "employment": emp,
                    "est": float(est),
                }
            )
    defn = pd.DataFrame(
        {
            "industry_code": ["100000", "100001", "100002"],
            "cluster_code": ["T", "F", "L"],
            "cluster_name": ["t", "f", "l"],
            "subcluster_code": [None] * 3,
            "subcluster_name": [None] * 3,
            "traded_local": ["traded", "traded", "local"],
        }
    )
    return pd.DataFrame(rows), defn


def test_strength_flags_follow_their_definitions() -> None:
    rows, defn = _regions_table()
    res = build_frame(rows, defn, establishments="est")
    df = res.cluster_region_year
    t = df[df["cluster_code"] == "T"].sort_values("region_code")
    lq, emp, est = t["lq_traded_local"], t["employment"], t["establishments"]
    p = {q: np.percentile(lq, q, method="linear") for q in (25, 50, 75, 90)}
    size_ok = (emp > np.percentile(emp, 25, method="linear")) & (
        est > np.percentile(est, 25, method="linear")
    )
    assert (t["qualifying"] == ((lq > p[25]) & size_ok)).all()
    assert (t["significant"] == ((lq > p[50]) & size_ok)).all()
    assert (t["strong"] == ((lq >= p[75]) & (lq >= 1) & size_ok)).all()
    assert (t["strong10"] == ((lq >= p[90]) & (lq >= 1) & size_ok)).all()
    assert t["strong"].sum() == 5 and t["strong10"].sum() == 2
    # Local clusters carry no U.S. Cluster Mapping flags.
    assert df.loc[df["cluster_code"] == "L", "strong"].isna().all()
    # Cluster strength = strong traded employment / traded employment.
    ry = res.region_year.set_index("region_code")
    top = t.set_index("region_code").loc["r19"]
    assert ry.loc["r19", "cluster_strength"] == pytest.approx(
        top["employment"] / top["traded_employment"]
    )
    assert ry.loc["r00", "cluster_strength"] == 0


def test_eco_stars() -> None:
    rows, defn = _regions_table()
    df = build_frame(rows, defn, establishments="est").cluster_region_year
    t = df[df["cluster_code"] == "T"]
    e90 = np.percentile(t["employment"], 90, method="linear")
    s90 = np.percentile(t["region_share"], 90, method="linear")
    assert (t["star_size"] == (t["employment"] >= e90)).all()
    assert (t["star_specialisation"] == (t["lq_total"] >= 2)).all()
    assert (t["star_focus"] == (t["region_share"] >= s90)).all()
    assert (
        t["eco_stars"]
        == t[["star_size", "star_specialisation", "star_focus"]].astype(int).sum(axis=1)
    ).all()
    assert t["eco_stars"].max() == 2  # size and focus; lq_total stays below 2 here


def test_percentile_peers_are_regions_of_the_same_type() -> None:
    rows, defn = _regions_table(8)
    rows["rtype"] = np.where(rows["region"] < "r04", "state", "county")
    df = build_frame(rows, defn, establishments="est", region_type="rtype").cluster_region_year
    t = df[df["cluster_code"] == "T"]
    for _, part in t.groupby("region_type"):
        assert sorted(part["employment_percentile"].tolist()) == [13, 38, 63, 88]
