"""The cluster definition table and its validation.

An industry may belong to one cluster and at most one sub-cluster (the U.S. Cluster Mapping
definitions are a partition of traded and local industries). Industries not listed belong to no
cluster; their employment still counts in regional totals and the mapped share says how much of
the economy the definition covers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from clusterobs.sources.errors import InputValidationError

DEFINITION_COLUMNS = [
    "industry_code",
    "cluster_code",
    "cluster_name",
    "subcluster_code",
    "subcluster_name",
    "traded_local",
]
TRADED_VALUES = {"traded": True, "t": True, "local": False, "l": False}


@dataclass(frozen=True)
class ClusterDefinition:
    """A validated definition: ``table`` has :data:`DEFINITION_COLUMNS` plus bool ``traded``
    and ``source_row`` (the data row of the file it came from, for messages)."""

    table: pd.DataFrame
    classification: str
    source: str = ""

    @property
    def clusters(self) -> pd.DataFrame:
        cols = ["cluster_code", "cluster_name", "traded"]
        return self.table[cols].drop_duplicates("cluster_code").reset_index(drop=True)

    @property
    def subclusters(self) -> pd.DataFrame:
        cols = ["cluster_code", "subcluster_code", "subcluster_name"]
        t = self.table[self.table["subcluster_code"].notna()]
        return t[cols].drop_duplicates(["cluster_code", "subcluster_code"]).reset_index(drop=True)


def validate_definition(
    df: pd.DataFrame, classification: str, source: str = "<table>"
) -> ClusterDefinition:
    """Check columns, codes and the traded/local flag; raise with file, row and field."""
    missing = [c for c in DEFINITION_COLUMNS if c not in df.columns]
    if missing:
        raise InputValidationError(f"missing column(s) {missing}", file=source, field=missing[0])
    # The row of the file behind each definition row (adapters may skip rows of the file).
    rows = (
        pd.to_numeric(df["source_row"]).astype("int64")
        if "source_row" in df.columns
        else pd.Series(range(1, len(df) + 1), index=df.index, dtype="int64")
    )
    df = df[DEFINITION_COLUMNS].copy()
    for col in DEFINITION_COLUMNS:
        df[col] = df[col].astype("string").str.strip().replace("", pd.NA)
    for col in ("industry_code", "cluster_code", "traded_local"):
        bad = df[col].isna()
        if bad.any():
            row = int(rows.to_numpy()[bad.to_numpy().nonzero()[0][0]])
            raise InputValidationError("empty value", file=source, row=row, field=col)
    flag = df["traded_local"].str.lower().map(TRADED_VALUES)
    if flag.isna().any():
        i = int(flag.isna().to_numpy().nonzero()[0][0])
        row = int(rows.to_numpy()[i])
        raise InputValidationError(
            f"traded_local must be 'traded' or 'local', got {df['traded_local'].iloc[i]!r}",
            file=source,
            row=row,
            field="traded_local",
        )
    df["traded"] = flag.astype(bool)
    dup = df["industry_code"].duplicated()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        row = int(rows.to_numpy()[i])
        raise InputValidationError(
            f"industry {df['industry_code'].iloc[i]} is listed twice "
            "(an industry belongs to one cluster)",
            file=source,
            row=row,
            field="industry_code",
        )
    mixed = df.groupby("cluster_code")["traded"].nunique()
    if (mixed > 1).any():
        code = mixed[mixed > 1].index[0]
        row = int(rows.to_numpy()[(df["cluster_code"] == code).to_numpy().nonzero()[0][0]])
        raise InputValidationError(
            f"cluster {code} mixes traded and local industries",
            file=source,
            row=row,
            field="traded_local",
        )
    df["cluster_name"] = df["cluster_name"].fillna(df["cluster_code"])
    df["source_row"] = rows.to_numpy()
    return ClusterDefinition(df.reset_index(drop=True), classification, str(source))


def custom_definition(
    clusters: dict[str, Iterable[str]],
    classification: str,
    *,
    traded: bool = True,
    names: dict[str, str] | None = None,
) -> ClusterDefinition:
    """A user-defined definition, e.g. ``{"clean_tech": ["221114", "221115", "335911"]}``.

    Works like any other definition (crosswalks, statistics); industries may appear in one
    custom cluster only.
    """
    rows = [
        {
            "industry_code": code,
            "cluster_code": cluster,
            "cluster_name": (names or {}).get(cluster, cluster),
            "subcluster_code": None,
            "subcluster_name": None,
            "traded_local": "traded" if traded else "local",
        }
        for cluster, codes in clusters.items()
        for code in codes
    ]
    return validate_definition(pd.DataFrame(rows), classification, "<custom>")
