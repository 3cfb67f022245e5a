"""Fixtures of the source tests: the small cut files kept here, and the real files beside the
checkout (``../shared/data``) for the tests marked to need them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from clusterobs.regions.nuts import NutsHistory
from tests.support import SHARED_DATA

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATA = SHARED_DATA
EU_TSV = DATA / "eu_sbs_nuts2_nace_2008_2015" / "sbs_r_nuts06_r2.tsv.gz"
INDIA_DIR = DATA / "india_census2011_b18_district_nic"
NUTS_HISTORY = DATA / "nuts_code_changes_1999_2021"
NUTS_BOUNDARIES = DATA / "nuts_boundaries_2021"
INDIA_BOUNDARIES = DATA / "india_boundaries"

needs_real_data = pytest.mark.skipif(
    not EU_TSV.exists() or not INDIA_DIR.exists(),
    reason="needs the real files in ../shared/data (absent beside this checkout)",
)


@pytest.fixture(scope="session")
def sample_tsv() -> Path:
    return FIXTURES / "sbs_r_nuts06_r2_sample.tsv"


@pytest.fixture(scope="session")
def sample_history() -> NutsHistory:
    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(FIXTURES / name, dtype=str, keep_default_na=False)

    return NutsHistory(read("nuts_changes_sample.csv"), read("all_valid_nuts_codes_sample.csv"))


@pytest.fixture(scope="session")
def sample_targets() -> set[str]:
    return set(pd.read_csv(FIXTURES / "nuts2021_codes_sample.csv", dtype=str)["code"])


@pytest.fixture(scope="session")
def sample_b18() -> Path:
    return FIXTURES / "DDW_B18_1500_MIZORAM_sample.csv"
