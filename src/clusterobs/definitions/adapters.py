"""Convert the published U.S. Cluster Mapping files to the canonical definition layout.

* ``uscmp_web`` — ``naics2007_to_cluster_uscmp_2014_web.csv`` (clustermapping.us front end,
  NAICS 2007, columns ``cluster_id, cluster_name, cluster_key, naics2007``). Cluster ids 101-116
  are local clusters, all others traded (1-49 and the natural-resource ids 1001-1011). The file has
  no industry -> sub-cluster link, so ``subcluster_code`` stays empty.
* ``uscmp_emsi`` — ``naics_to_cluster_uscmp_emsi_variant.csv`` (NAICS 2017, with ``traded_local``
  and sub-cluster names). Sub-cluster codes are made as ``<cluster_code>.<n>`` in order of first
  appearance of the name within the cluster. Rows without a cluster code (government
  pseudo-codes, 814110) are dropped here because they belong to no U.S. Cluster Mapping cluster.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from clusterobs.definitions.model import DEFINITION_COLUMNS

ADAPTERS = ("canonical", "uscmp_web", "uscmp_emsi")
LOCAL_IDS = range(101, 200)


def from_uscmp_web(path: str | Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    ids = df["cluster_id"].astype(int)
    return pd.DataFrame(
        {
            "industry_code": df["naics2007"].str.strip(),
            "cluster_code": df["cluster_id"].str.strip(),
            "cluster_name": df["cluster_name"],
            "subcluster_code": None,
            "subcluster_name": None,
            "traded_local": ["local" if i in LOCAL_IDS else "traded" for i in ids],
            "source_row": range(1, len(df) + 1),
        }
    )[[*DEFINITION_COLUMNS, "source_row"]]


def from_uscmp_emsi(path: str | Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["source_row"] = range(1, len(df) + 1)
    df = df[df["cluster_code"].str.strip() != ""].copy()
    order = df.groupby("cluster_code")["subcluster_name"].transform(
        lambda s: s.map({n: i + 1 for i, n in enumerate(dict.fromkeys(s))})
    )
    sub = df["cluster_code"] + "." + order.astype(str)
    return pd.DataFrame(
        {
            "industry_code": df["naics"].str.strip(),
            "cluster_code": df["cluster_code"].str.strip(),
            "cluster_name": df["cluster_name"],
            "subcluster_code": sub.where(df["subcluster_name"] != "", None),
            "subcluster_name": df["subcluster_name"].replace("", None),
            "traded_local": df["traded_local"].str.lower(),
            "source_row": df["source_row"],
        }
    )[[*DEFINITION_COLUMNS, "source_row"]].reset_index(drop=True)


def convert(path: str | Path, adapter: str) -> pd.DataFrame:
    """Read ``path`` with the named adapter and return the canonical table."""
    if adapter == "uscmp_web":
        return from_uscmp_web(path)
    if adapter == "uscmp_emsi":
        return from_uscmp_emsi(path)
    if adapter == "canonical":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    raise ValueError(f"unknown definition format {adapter!r}; use one of {ADAPTERS}")
