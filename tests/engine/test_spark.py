"""The same input on Spark (local mode) gives the same results as on DuckDB."""

from __future__ import annotations

import pandas as pd
import pytest

from clusterobs.mapping import pipeline
from clusterobs.sources.cbp import read_cbp
from clusterobs.tables.engine import connect
from tests.engine.conftest import CBP

pytestmark = [pytest.mark.spark, pytest.mark.xdist_group("spark")]


@pytest.fixture(scope="session")
def spark_session():
    pytest.importorskip("pyspark")
    from clusterobs.tables.engine import local_spark_session

    session = local_spark_session()
    yield session
    session.stop()


def _sorted(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return df.sort_values(keys, na_position="first", ignore_index=True)


def test_spark_and_duckdb_agree(spark_session, store, web_definition) -> None:
    opts = pipeline.MappingOptions(years=(2010, 2011), allow_unknown_codes=True)
    results = {}
    for name in ("duckdb", "spark"):
        eng = connect(name, spark_session=spark_session if name == "spark" else None)
        results[name] = pipeline.build(
            read_cbp(eng, CBP), web_definition, engine=eng, store=store, options=opts
        )
    keys = ["region_type", "region_code", "year", "cluster_code", "subcluster_code"]
    a = _sorted(results["duckdb"].cluster_region_year, keys)
    b = _sorted(results["spark"].cluster_region_year, keys)
    assert len(a) == len(b) > 1000
    pd.testing.assert_frame_equal(a, b[a.columns], check_dtype=False, rtol=1e-9)
    ra = _sorted(results["duckdb"].region_year, ["region_code", "year"])
    rb = _sorted(results["spark"].region_year, ["region_code", "year"])
    pd.testing.assert_frame_equal(ra, rb[ra.columns], check_dtype=False, rtol=1e-9)
    ckeys = ["region_code", "cluster_code", "subcluster_code", "start_year", "end_year"]
    ca = _sorted(results["duckdb"].cluster_region_change, ckeys)
    cb = _sorted(results["spark"].cluster_region_change, ckeys)
    pd.testing.assert_frame_equal(ca, cb[ca.columns], check_dtype=False, rtol=1e-9)
