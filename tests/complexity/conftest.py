"""Paths of the small fixtures and of the embedded real data the complexity tests read."""

from __future__ import annotations

from pathlib import Path

from clusterobs.data.catalog import path as data_path
from tests.support import FIXTURES

HERE = Path(__file__).resolve().parent
SAMPLE_CBP = HERE / "data" / "cbp_states_sample.csv"
SAMPLE_DEFS = HERE / "data" / "clusters_sample.csv"
# The embedded CBP states file (src/clusterobs/data) and the web definition kept with the tests.
CBP = data_path("us_cbp_state")
RELATEDNESS = data_path("uscmp_relatedness")
WEB_DEFS = FIXTURES / "naics2007_to_cluster_uscmp_2014_web.csv"
