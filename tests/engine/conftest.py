"""Fixtures of the engine tests: classifications imported once, small hand-made builds, and one
shared build of the real CBP state data (2008-2011)."""

from __future__ import annotations

import pandas as pd
import pytest

from clusterobs.classifications.store import ClassificationStore
from clusterobs.data.catalog import CLASSIFICATIONS_DIR
from clusterobs.data.catalog import path as data_path
from clusterobs.definitions.model import custom_definition, validate_definition
from clusterobs.definitions.reader import load_definition
from clusterobs.mapping import pipeline
from clusterobs.sources.cbp import read_cbp
from clusterobs.sources.generic import LongColumns, from_frame
from clusterobs.tables.engine import connect
from tests.support import FIXTURES

# The embedded real data (src/clusterobs/data) and the fixtures kept with the tests.
CBP = data_path("us_cbp_state")
WEB_DEFS = FIXTURES / "naics2007_to_cluster_uscmp_2014_web.csv"
DPS_DEFS = data_path("dps2016_definition")
RELATEDNESS = data_path("uscmp_relatedness")


@pytest.fixture(scope="session")
def store() -> ClassificationStore:
    """The embedded classification store (NAICS 2002-2017, ISIC Rev.4, NACE Rev.2)."""
    return ClassificationStore.load(CLASSIFICATIONS_DIR)


@pytest.fixture(scope="session")
def web_definition() -> object:
    return load_definition(WEB_DEFS, "NAICS2007")


@pytest.fixture(scope="session")
def cbp_result(store: ClassificationStore, web_definition: object) -> pipeline.MappingResult:
    """The real CBP state data 2008-2011 with the NAICS 2007 U.S. Cluster Mapping definitions."""
    eng = connect()
    return pipeline.build(
        read_cbp(eng, CBP),
        web_definition,
        engine=eng,
        store=store,
        options=pipeline.MappingOptions(years=(2008, 2011), allow_unknown_codes=True),
        relatedness=RELATEDNESS,
    )


def build_frame(
    rows: pd.DataFrame,
    definition: pd.DataFrame | dict,
    *,
    options: pipeline.MappingOptions | None = None,
    total_code: str | None = None,
    **columns: str,
) -> pipeline.MappingResult:
    """Run the whole pipeline on a hand-made long table (codes used as their own vintage)."""
    if isinstance(definition, dict):
        d = custom_definition(definition, "TEST")
    else:
        d = validate_definition(definition, "TEST")
    eng = connect()
    cols = LongColumns(**columns)
    src = from_frame(eng, rows, columns=cols, vintage="TEST", total_code=total_code)
    return pipeline.build(src, d, engine=eng, options=options)


def long_table(matrix: list[list[float]], year: int = 2010, **extra: object) -> pd.DataFrame:
    """Regions r0.. x industries 10000i as a long table (industry codes 6 characters)."""
    rows = [
        {
            "region": f"r{i}",
            "industry": f"1000{j:02d}",
            "year": year,
            "employment": float(v),
            **extra,
        }
        for i, row in enumerate(matrix)
        for j, v in enumerate(row)
    ]
    return pd.DataFrame(rows)
