"""Region and national totals: the denominators of every statistic (small pandas tables).

A region's all-industry total is its published total row (CBP ``------``), else the sum of its
detailed industries; its traded (local) employment is the sum over the definition's traded
(local) clusters. **National** figures are the sums over the input's regions of the same region
type, unless the input supplies rows of type ``nation`` (then those, for every type). These
tables have one row per region and year (or per region type, cluster and year), so they stay
small even for county files and are computed in pandas, then handed back to the engine.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterobs.mapping.result import NATION, REGION_KEYS

NATIONAL_RULE = (
    "national = sum over the input's regions of the same type, unless rows of type 'nation' "
    "are supplied"
)


def as_codes(df: pd.DataFrame) -> pd.DataFrame:
    """Engine results in the pipeline's pandas dtypes (codes ``string``, years ``int64``)."""
    for col in ("region_code", "region_type", "cluster_code", "subcluster_code"):
        if col in df.columns:
            df[col] = df[col].astype("string")
    if "year" in df.columns:
        df["year"] = df["year"].astype("int64")
    return df


def region_totals(
    detailed: pd.DataFrame,
    known: pd.DataFrame,
    total_rows: pd.DataFrame,
    traded_local: pd.DataFrame,
) -> pd.DataFrame:
    """One row per region and year: ``employment`` (the total), ``traded_employment``,
    ``local_employment``, ``detailed_employment(_reported)``, ``clustered_employment``,
    ``mapped_share``, ``known_employment`` and ``unknown_employment``."""
    region = detailed.merge(known, on=REGION_KEYS, how="left").merge(
        total_rows, on=REGION_KEYS, how="outer"
    )
    region = as_codes(region)
    region = region.merge(as_codes(traded_local), on=REGION_KEYS, how="left")
    parts = ["traded_employment", "local_employment"]
    region[parts] = region[parts].fillna(0.0)
    region["employment"] = region["total_row"].fillna(region["detailed_employment"])
    region["clustered_employment"] = region["traded_employment"] + region["local_employment"]
    with np.errstate(divide="ignore", invalid="ignore"):
        region["mapped_share"] = region["clustered_employment"] / region["detailed_employment"]
    region["known_employment"] = region["known_employment"].fillna(0.0)
    region["unknown_employment"] = (
        region["detailed_employment"].fillna(0.0) - region["known_employment"]
    )
    return region


def with_region_ids(region: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Integer ids ``r`` (region code and type) and ``rt`` (region type) on ``region``; the
    dimension table ``r, rt, region_code, region_type`` and the region-type ids."""
    ids = (
        region[["region_code", "region_type"]]
        .drop_duplicates()
        .sort_values(["region_type", "region_code"], ignore_index=True)
    )
    ids.insert(0, "r", np.arange(len(ids), dtype="int64"))
    type_ids = {v: i for i, v in enumerate(sorted(ids["region_type"].unique()))}
    ids["rt"] = ids["region_type"].map(type_ids).astype("int64")
    region = region.merge(ids, on=["region_code", "region_type"], how="left")
    return region, ids, type_ids


def national(df: pd.DataFrame, value_cols: list[str], keys: list[str]) -> pd.DataFrame:
    """National sums per region type (or from 'nation' rows, applied to every type)."""
    types = [x for x in df["region_type"].unique() if x != NATION]
    nation_rows = df[df["region_type"] == NATION]
    if len(nation_rows):
        base = nation_rows.groupby(keys, dropna=False)[value_cols].sum().reset_index()
        frames = [base.assign(region_type=rt) for rt in [*types, NATION]]
        return pd.concat(frames, ignore_index=True)
    return df.groupby(["region_type", *keys], dropna=False)[value_cols].sum().reset_index()
