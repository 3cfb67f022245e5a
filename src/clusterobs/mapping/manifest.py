"""The manifest of a build: what went in, which conventions were applied, what was not mapped.

Why: a published statistic must say how it was made. The manifest is written into the result
(``manifest.json``) and read by the observatory's pages and the CLI.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import pandas as pd

from clusterobs.definitions.model import ClusterDefinition
from clusterobs.mapping.conventions import CONVENTIONS
from clusterobs.mapping.result import MappingOptions


def _unknown_codes(unknown: pd.DataFrame) -> dict[str, Any]:
    return {
        "count": len(unknown),
        "employment": float(unknown["employment"].sum()) if len(unknown) else 0.0,
        "by_code": [
            {
                "vintage": r.vintage,
                "code": r.industry_code,
                "rows": int(r.rows),
                "employment": float(r.employment),
            }
            for r in unknown.itertuples()
        ],
    }


def build_manifest(
    *,
    definition: ClusterDefinition,
    options: MappingOptions,
    engine_name: str,
    input_name: str,
    overview: pd.DataFrame,
    vintage_notes: dict[str, str],
    region: pd.DataFrame,
    unknown_industries: pd.DataFrame,
    unknown_regions: pd.DataFrame,
    imputation_notes: list[str],
    crt_rows: int,
    timings: dict[str, float],
) -> dict[str, Any]:
    """The manifest; the change table's row count is filled in when it is written or read.

    ``overview``: rows per ``year`` and ``vintage``; ``region``: one row per region and year
    with ``detailed_employment`` and ``clustered_employment``.
    """
    by_year = region.groupby("year")[["detailed_employment", "clustered_employment"]].sum()
    mapped = (by_year["clustered_employment"] / by_year["detailed_employment"]).round(6)
    rows_by_year, vintages_by_year = {}, {}
    for year, rows, vintage in zip(overview.year, overview.rows, overview.vintage, strict=True):
        rows_by_year[int(year)] = int(rows)
        vintages_by_year[int(year)] = vintage
    return {
        "package": {"name": "cluster-observatory", "version": version("cluster-observatory")},
        "input": {
            "path": input_name,
            "rows_by_year": rows_by_year,
            "vintages_by_year": vintages_by_year,
        },
        "definition": {
            "source": definition.source.rsplit("/", 1)[-1],
            "classification": definition.classification,
            "clusters": int(definition.table["cluster_code"].nunique()),
            "subclusters": int(definition.table["subcluster_code"].nunique()),
            "industries": len(definition.table),
        },
        "engine": engine_name,
        "imputation": options.imputation,
        "imputation_notes": imputation_notes,
        "split_rule": options.split_rule,
        "vintage_mapping": vintage_notes,
        "mapped_share_of_employment": {int(y): float(v) for y, v in mapped.items()},
        "unknown_industry_codes": _unknown_codes(unknown_industries),
        "unknown_region_codes": {
            "count": len(unknown_regions),
            "codes": unknown_regions["region_code"].astype(str).tolist(),
        },
        "conventions": CONVENTIONS,
        "rows": {
            "cluster_region_year": crt_rows,
            "region_year": len(region),
            "cluster_region_change": None,
        },
        "timings_seconds": timings,
    }
