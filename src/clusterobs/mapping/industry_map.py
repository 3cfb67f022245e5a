"""From the data's industry codes to the definition's clusters, with integer cell ids.

Why a map: data of several classification vintages (CBP 2000-2011 spans NAICS 1997, 2002 and
2007) meet one definition in one classification. Every detailed code of every data vintage is
mapped through the stored concordances (:func:`~clusterobs.classifications.crosswalk.
crosswalk_weights`) to the definition's codes with weights that sum to one; the part of a
code's weight that lands on industries outside the definition has a null cluster (known but
unclustered). Clusters and sub-clusters then get small integer ids ``k`` so that every engine
join, group-by and window runs on integers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from clusterobs.classifications.crosswalk import SplitRule, crosswalk_weights
from clusterobs.classifications.store import ClassificationStore
from clusterobs.definitions.model import ClusterDefinition


@dataclass
class IndustryMap:
    """``table``: ``vintage, industry_code, k_cl, k_sub, traded, weight`` (``k_cl = -1``:
    no cluster); ``cells``: ``k -> cluster_code, subcluster_code, cluster_name,
    subcluster_name`` (clusters first, ``k < n_clusters``); ``notes`` and ``detail_lengths``
    per data vintage (the code length of its most detailed level)."""

    table: pd.DataFrame
    cells: pd.DataFrame
    notes: dict[str, str]
    detail_lengths: dict[str, int]
    #: the definition's codes that some data vintage maps to
    reached: frozenset[str] = frozenset()

    @property
    def n_clusters(self) -> int:
        return int(self.cells["subcluster_code"].isna().sum())


def _crosswalk(
    vintage: str,
    definition: ClusterDefinition,
    store: ClassificationStore,
    rule: SplitRule,
    target_sizes: pd.Series | None,
) -> tuple[pd.DataFrame, str]:
    """``from_code, to_code, weight`` from one data vintage to the definition's codes."""
    target = definition.classification
    if vintage in ("UNKNOWN", target) and not store.has(target):
        codes = definition.table["industry_code"]
        xw = pd.DataFrame({"from_code": codes, "to_code": codes, "weight": 1.0})
        return xw, f"{target} not imported: known codes are the definition's industries"
    if vintage == "UNKNOWN":
        return crosswalk_weights(store, target, target), f"no vintage given: data read as {target}"
    xw = crosswalk_weights(store, vintage, target, rule=rule, target_sizes=target_sizes)
    if vintage == target:
        return xw, "same classification"
    kinds = ", ".join(sorted(set(xw["note"])))
    return xw, f"crosswalk {vintage}->{target} ({kinds}), split rule {rule}"


def _weights(
    definition: ClusterDefinition,
    store: ClassificationStore,
    vintages: list[str],
    rule: SplitRule,
    target_sizes: pd.Series | None,
) -> tuple[pd.DataFrame, dict[str, str], dict[str, int], set[str]]:
    """Rows ``vintage, industry_code, cluster_code, subcluster_code, traded, weight``, and the
    target codes reached."""
    defs = definition.table[["industry_code", "cluster_code", "subcluster_code", "traded"]]
    frames, notes, lengths = [], {}, {}
    reached: set[str] = set()
    for vintage in vintages:
        xw, notes[vintage] = _crosswalk(vintage, definition, store, rule, target_sizes)
        reached |= set(xw.loc[xw["weight"] > 0, "to_code"].astype(str))
        lengths[vintage] = int(xw["from_code"].str.len().mode().iloc[0]) if len(xw) else 6
        m = xw.merge(defs, left_on="to_code", right_on="industry_code", how="left")
        m = m.groupby(
            ["from_code", "cluster_code", "subcluster_code", "traded"], dropna=False, as_index=False
        )["weight"].sum()
        m.insert(0, "vintage", vintage)
        frames.append(m.rename(columns={"from_code": "industry_code"}))
    weights = pd.concat(frames, ignore_index=True)
    weights["traded"] = weights["traded"].astype("boolean")
    for col in ("cluster_code", "subcluster_code"):
        weights[col] = weights[col].astype("string")
    return weights, notes, lengths, reached


def _cell_ids(
    weights: pd.DataFrame, definition: ClusterDefinition
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Integer ids ``k`` of the clusters (``0 .. n_clusters - 1``) and of the sub-clusters
    (after them), added to the weights as ``k_cl`` and ``k_sub`` (``-1``: none), and the
    dimension table that turns ids back into codes and names."""
    known = weights[weights["cluster_code"].notna()]
    clusters = sorted(known["cluster_code"].unique())
    pairs = known.loc[known["subcluster_code"].notna(), ["cluster_code", "subcluster_code"]]
    subs = sorted(set(zip(pairs["cluster_code"], pairs["subcluster_code"], strict=True)))
    k_cl = {c: i for i, c in enumerate(clusters)}
    k_sub = {cs: len(clusters) + i for i, cs in enumerate(subs)}
    weights = weights.copy()
    weights["k_cl"] = [-1 if pd.isna(c) else k_cl[c] for c in weights["cluster_code"]]
    weights["k_sub"] = [
        k_sub.get((c, sc), -1) if not (pd.isna(c) or pd.isna(sc)) else -1
        for c, sc in zip(weights["cluster_code"], weights["subcluster_code"], strict=True)
    ]
    weights["k_cl"] = weights["k_cl"].astype("int64")
    weights["k_sub"] = weights["k_sub"].astype("int64")
    names = definition.table.drop_duplicates("cluster_code").set_index("cluster_code")
    sub_names = (
        definition.subclusters.dropna(subset=["subcluster_code"])
        .drop_duplicates("subcluster_code")
        .set_index("subcluster_code")["subcluster_name"]
    )
    cells = pd.DataFrame(
        {
            "k": np.arange(len(clusters) + len(subs), dtype="int64"),
            "cluster_code": [*clusters, *(c for c, _ in subs)],
            "subcluster_code": [None] * len(clusters) + [sc for _, sc in subs],
        }
    )
    cells["cluster_name"] = cells["cluster_code"].map(names["cluster_name"])
    cells["subcluster_name"] = cells["subcluster_code"].map(sub_names)
    for col in cells.columns[1:]:
        cells[col] = cells[col].astype("string")
    return weights, cells


def industry_map(
    definition: ClusterDefinition,
    store: ClassificationStore,
    vintages: list[str],
    rule: SplitRule,
    target_sizes: pd.Series | None = None,
) -> IndustryMap:
    """The map of every data vintage's detailed codes onto the definition's cells."""
    weights, notes, lengths, reached = _weights(definition, store, vintages, rule, target_sizes)
    weights, cells = _cell_ids(weights, definition)
    table = weights[["vintage", "industry_code", "k_cl", "k_sub", "traded", "weight"]]
    return IndustryMap(table, cells, notes, lengths, frozenset(reached))
