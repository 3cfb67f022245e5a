"""Reads of a published result (see :mod:`..store`) shared by the pages: years, tables per
region type, coverage notes, the dataset's description."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from clusterobs.mapping.service import warnings as build_warnings
from clusterobs.observatory.store import ResultsStore


def result_year(store: ResultsStore, year: int | None) -> int:
    if year is None or year not in store.years:
        return store.years[-1]
    return int(year)


def growth_start_year(store: ResultsStore, year: int) -> int:
    """The default start of a growth period ending in ``year``: the first year of the run of
    years that share ``year``'s classification vintage (growth across a vintage change compares
    differently mapped industries; see ``mapping.coverage``)."""
    vintages = {
        int(y): v for y, v in store.manifest.get("input", {}).get("vintages_by_year", {}).items()
    }
    start = year
    for y in sorted((y for y in store.years if y < year), reverse=True):
        if vintages.get(y) != vintages.get(year):
            break
        start = y
    return start


def coverage_notes(
    store: ResultsStore, region_type: str, code: str, start: int, end: int
) -> list[str]:
    """Warnings about this region's coverage of the published total (``mapping.coverage``)."""
    ry = region_year(store, region_type)
    if "coverage_flag" not in ry.columns:
        return []
    mine = ry[(ry["region_code"] == code) & ry["year"].between(start, end)]
    notes = []
    for r in mine[mine["coverage_flag"].notna()].sort_values("year").itertuples():
        what = "low coverage" if r.coverage_flag == "low" else "coverage break"
        notes.append(
            f"{r.year}: {what}: detailed industries add up to {r.coverage:.1%} of the published "
            "total; cluster figures of that year are understated or not comparable."
        )
    return notes


def region_year(store: ResultsStore, region_type: str) -> pd.DataFrame:
    return store.memo(
        ("ry", region_type),
        lambda: store.query("SELECT * FROM ry WHERE region_type = ?", [region_type]),
    )


def cluster_level(store: ResultsStore, region_type: str) -> pd.DataFrame:
    """All cluster-level rows of a region type (small for state/county builds)."""
    return store.memo(
        ("cl", region_type),
        lambda: store.query(
            "SELECT * FROM cry WHERE region_type = ? AND subcluster_code IS NULL",
            [region_type],
        ),
    )


def national_clusters(store: ResultsStore, region_type: str) -> pd.DataFrame:
    """National cluster figures per year: employment, establishments, wage (sums over regions)."""

    def compute() -> pd.DataFrame:
        return store.query(
            "SELECT cluster_code, year, any_value(cluster_name) cluster_name, "
            "bool_or(traded) traded, any_value(national_employment) national_employment, "
            "sum(employment_imputed) employment_imputed, sum(establishments) establishments, "
            "sum(wage_payroll) / nullif(sum(wage_employment), 0) wage, "
            "count(*) FILTER (WHERE strong) strong_regions "
            "FROM cry WHERE region_type = ? AND subcluster_code IS NULL GROUP BY 1, 2 "
            "ORDER BY 1, 2",
            [region_type],
        )

    return store.memo(("nat", region_type), compute)


def change_table(store: ResultsStore, region_type: str, start: int, end: int) -> pd.DataFrame:
    return store.memo(
        ("change", region_type, start, end),
        lambda: store.query(
            "SELECT * FROM change WHERE region_type = ? AND start_year = ? AND end_year = ?",
            [region_type, start, end],
        ),
    )


def as_table(rows: list[dict[str, Any]], columns: Iterable[str] | None = None) -> dict[str, Any]:
    cols = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    return {"columns": cols, "rows": rows}


def dataset_info(store: ResultsStore) -> dict[str, Any]:
    m = store.manifest
    return {
        "name": store.name,
        "years": store.years,
        "region_types": store.region_types,
        "imputation": m.get("imputation"),
        "definition": m.get("definition", {}),
        "conventions": m.get("conventions", {}),
        "source": (m.get("input") or {}).get("path"),
        "vintages_by_year": (m.get("input") or {}).get("vintages_by_year", {}),
        "warnings": [*store.input_problems, *build_warnings(m)],
    }
