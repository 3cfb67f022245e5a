"""The engine's statistics (Ibis, DuckDB/Spark) equal the pandas/numpy reference functions, and
do not depend on how years are chunked into engine queries."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterobs.mapping import pipeline
from tests.engine.conftest import build_frame
from tests.engine.reference import (
    FLAGS,
    add_stars,
    add_strength_flags,
    cagr,
    dunn,
    location_quotient,
    rank_percentile,
)

# Engine and reference compute the same formula in a different order of floating-point
# operations (DuckDB's pow/division vs numpy's): they may differ in the last bit or two
# (2.2e-16 absolute seen on this machine), never more. 1e-12 relative is far below any
# published digit and far above that noise.
RTOL = 1e-12


def test_engine_flags_stars_ranks_equal_the_pandas_reference(cbp_result) -> None:
    df = cbp_result.cluster_region_year
    ref = add_stars(add_strength_flags(df.drop(columns=[*FLAGS]).copy()))
    for col in (*FLAGS, "star_size", "star_specialisation", "star_focus", "eco_stars"):
        pd.testing.assert_series_equal(df[col], ref[col], check_dtype=False)
    for col, name in (("employment", "employment"), ("lq_traded_local", "lq")):
        rank, pct = rank_percentile(df, col)
        pd.testing.assert_series_equal(df[f"{name}_rank"], rank, check_names=False)
        pd.testing.assert_series_equal(df[f"{name}_percentile"], pct, check_names=False)
    traded = np.where(df["traded"], df["traded_employment"], df["local_employment"])
    nat = np.where(df["traded"], df["national_traded"], df["national_local"])
    lq = location_quotient(df["employment"], traded, df["national_employment"], nat)
    np.testing.assert_allclose(df["lq_traded_local"].to_numpy(), lq, rtol=RTOL, equal_nan=True)


def test_engine_change_equals_the_numpy_reference(cbp_result) -> None:
    ch = cbp_result.cluster_region_change
    n = ch["end_year"] - ch["start_year"]
    for years in n.unique():
        part = ch[n == years]
        np.testing.assert_allclose(
            part["emp_cagr"].to_numpy(),
            cagr(part["employment_start"], part["employment_end"], int(years)),
            rtol=RTOL,
            atol=1e-15,
            equal_nan=True,
        )
    crt = cbp_result.cluster_region_year
    keys = ["region_type", "cluster_code", "subcluster_code", "year"]
    nat = crt.drop_duplicates(keys)[[*keys, "national_employment", "national_total"]]
    m = ch
    for side, year in (("s", "start_year"), ("e", "end_year")):
        look = nat.rename(
            columns={
                "year": year,
                "national_employment": f"national_employment_{side}",
                "national_total": f"national_total_{side}",
            }
        )
        m = m.merge(look, on=[*keys[:3], year], how="left")
    ss = dunn(
        m["employment_start"], m["employment_end"], m["national_employment_s"],
        m["national_employment_e"], m["national_total_s"], m["national_total_e"],
    )  # fmt: skip
    for part in ("national_share", "industry_mix", "regional_share"):
        np.testing.assert_allclose(m[f"ss_{part}"], ss[part], rtol=RTOL, equal_nan=True)
    by = ["region_type", "cluster_code", "subcluster_code", "start_year", "end_year"]
    _, pct = rank_percentile(ch, "job_creation", by=by, peers=ch["employment_start"] > 0)
    pd.testing.assert_series_equal(ch["job_creation_percentile"], pct, check_names=False)


def test_results_do_not_depend_on_chunking() -> None:
    rng = np.random.default_rng(7)
    rows = pd.DataFrame(
        [
            {"region": f"r{r}", "industry": f"10000{i}", "year": y, "employment": float(v)}
            for r in range(12)
            for i in range(4)
            for y in (2000, 2001, 2002, 2003)
            if (v := rng.integers(0, 50)) or r % 3
        ]
    )
    defn = {"a": ["100000", "100001"], "b": ["100002"], "c": ["100003"]}
    one = build_frame(rows, defn)
    many = build_frame(rows, defn, options=pipeline.MappingOptions(chunk_rows=1))
    assert len(many.cluster_region_year_table.parts) == 4
    assert len(many.cluster_region_change_table.parts) == 4
    pd.testing.assert_frame_equal(one.cluster_region_year, many.cluster_region_year)
    pd.testing.assert_frame_equal(one.cluster_region_change, many.cluster_region_change)
    pd.testing.assert_frame_equal(one.region_year, many.region_year)
