"""What a build takes (:class:`MappingOptions`) and gives (:class:`MappingResult`), and the
columns of the published tables.

The column lists are the contract with the readers of a result (the observatory, exports,
notebooks): one list per table, in output order, with the pandas dtypes a reader gets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from clusterobs.classifications.crosswalk import SplitRule
from clusterobs.mapping.imputation import ImputationMethod
from clusterobs.tables.results import EngineTable

REGION_KEYS = ["region_code", "region_type", "year"]
#: summed over a cell's detailed industries
VALUE_COLS = [
    "employment",
    "employment_reported",
    "employment_imputed",
    "suppressed_cells",
    "establishments",
    "wage_payroll",
    "wage_employment",
]
CRT_COLUMNS = [
    "region_code", "region_type", "year", "cluster_code", "subcluster_code", "traded",
    *VALUE_COLS,
    "national_employment", "national_total", "national_traded", "national_local",
    "region_total", "traded_employment", "local_employment",
    "lq_traded_local", "lq_total", "region_share", "national_share", "wage",
    "qualifying", "significant", "strong", "strong10",
    "star_size", "star_specialisation", "star_focus", "eco_stars",
    "employment_rank", "employment_percentile", "lq_rank", "lq_percentile",
    "imputation_method", "cluster_name", "subcluster_name",
]  # fmt: skip
_CODES = {c: "string" for c in ("region_code", "region_type", "cluster_code", "subcluster_code")}
_RANKS = ("rank", "percentile")
CRT_DTYPES = {
    **_CODES,
    "year": "int64",
    "traded": "bool",
    "suppressed_cells": "int64",
    **{f: "boolean" for f in ("qualifying", "significant", "strong", "strong10")},
    **{s: "bool" for s in ("star_size", "star_specialisation", "star_focus")},
    "eco_stars": "int8",
    **{f"{c}_{r}": "Int64" for c in ("employment", "lq") for r in _RANKS},
    "cluster_name": "string",
    "subcluster_name": "string",
}
CRT_SORT = ["region_type", "region_code", "year", "cluster_code", "subcluster_code"]
CHANGE_COLUMNS = [
    "region_code", "region_type", "cluster_code", "subcluster_code", "traded",
    "start_year", "end_year", "employment_start", "employment_end", "emp_cagr",
    "wage_start", "wage_end", "wage_cagr", "establishments_start", "establishments_end",
    "est_cagr", "job_creation", "expected_job_creation", "lq_start", "lq_end", "lq_change",
    "lq_total_change", "ss_national_share", "ss_industry_mix", "ss_regional_share",
    "vintage_break", "coverage_break",
]  # fmt: skip
EM_COLUMNS = ["ss_em_competitive", "ss_em_allocation"]
CHANGE_RANKS = [
    "job_creation_rank",
    "job_creation_percentile",
    "emp_cagr_rank",
    "emp_cagr_percentile",
]
CHANGE_DTYPES = {
    **_CODES,
    "traded": "bool",
    "vintage_break": "bool",
    "coverage_break": "bool",
    "start_year": "int64",
    "end_year": "int64",
    **{f"{c}_{r}": "Int64" for c in ("job_creation", "emp_cagr") for r in _RANKS},
}
CHANGE_SORT = ["start_year", "end_year", "region_type", "region_code", "cluster_code"]
CHANGE_SORT += ["subcluster_code"]
REGION_YEAR_COLUMNS = [
    *REGION_KEYS,
    "employment",
    "traded_employment",
    "local_employment",
    "cluster_strength",
    "detailed_employment",
    "detailed_employment_reported",
    "clustered_employment",
    "mapped_share",
    "unknown_employment",
    "coverage",
    "coverage_flag",
]
COLOCATION_COLUMNS = [
    "region_code", "region_type", "year", "cluster_code", "subcluster_code", "traded",
    "employment", "lq_traded_local",
]  # fmt: skip
#: region type of supplied national rows
NATION = "nation"


@dataclass
class MappingOptions:
    imputation: ImputationMethod = "midpoint"
    split_rule: SplitRule = "equal"
    years: tuple[int, int] | None = None
    esteban_marquillas: bool = False
    subclusters: bool = True
    change_pairs: list[tuple[int, int]] | None = None
    # Go on when definition codes are unknown to the classification or unreachable from the
    # data (they are then listed in the manifest); by default they are an error.
    allow_unknown_codes: bool = False
    # Rows per engine query: years (and year pairs) are computed in chunks of about this many
    # aggregated cells, so memory stays flat for county files; results do not depend on it.
    chunk_rows: int = 2_000_000


@dataclass
class MappingResult:
    """The statistics of one build. The two big tables stay in the engine
    (``*_table``: :class:`EngineTable`, streamed to Parquet by ``output.write_result``); the
    properties ``cluster_region_year`` and ``cluster_region_change`` compute them as pandas
    frames on first access (sorted by region type, region, year, cluster, sub-cluster). The
    manifest's change row count is filled in when that table is written or read."""

    cluster_region_year_table: EngineTable
    region_year: pd.DataFrame
    cluster_region_change_table: EngineTable
    manifest: dict[str, Any]
    related_clusters: pd.DataFrame | None = None
    colocation: pd.DataFrame | None = None
    unknown_industries: pd.DataFrame = field(default_factory=pd.DataFrame)
    unknown_regions: pd.DataFrame = field(default_factory=pd.DataFrame)
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def cluster_region_year(self) -> pd.DataFrame:
        if "crt" not in self._frames:
            self._frames["crt"] = self.cluster_region_year_table.to_pandas()
        return self._frames["crt"]

    @property
    def cluster_region_change(self) -> pd.DataFrame:
        if "change" not in self._frames:
            self._frames["change"] = self.cluster_region_change_table.to_pandas()
            self.manifest["rows"]["cluster_region_change"] = len(self._frames["change"])
        return self._frames["change"]
