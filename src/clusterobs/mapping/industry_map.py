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
    subcluster_name`` (clusters first, ``k < n_clusters``); ``notes`` per data vintage;
    ``reached``: the definition's codes that a detailed code of some data vintage maps to."""

    table: pd.DataFrame
    cells: pd.DataFrame
    notes: dict[str, str]
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


def definition_code(
    codes: pd.Series, definition_codes: set[str], parents: dict[str, str]
) -> pd.Series:
    """The definition code that covers each code: the code itself, else its nearest ancestor
    listed in the definition (a definition may name a NACE division, ``45``, or a 5-digit
    NAICS industry, ``33611``, for all the detailed codes under it); null when none does."""
    out = codes.where(codes.isin(definition_codes))
    up = codes.map(parents)
    while up.notna().any():
        hit = out.isna() & up.isin(definition_codes)
        out = out.where(~hit, up)
        up = up.where(out.isna()).map(parents)
    return out


def ancestor_conflicts(definition: ClusterDefinition, parents: dict[str, str]) -> list[str]:
    """Definition codes that also lie under another of its codes: their employment would be
    counted twice (``336111`` listed beside ``33611``)."""
    codes = set(definition.table["industry_code"].astype(str))
    found = []
    for code in sorted(codes):
        up = parents.get(code)
        while up is not None:
            if up in codes:
                found.append(f"{code} lies under {up}")
                break
            up = parents.get(up)
    return found


def _weights(
    definition: ClusterDefinition,
    store: ClassificationStore,
    detail_lengths: dict[str, set[int]],
    rule: SplitRule,
    target_sizes: pd.Series | None,
) -> tuple[pd.DataFrame, dict[str, str], set[str]]:
    """Rows ``vintage, industry_code, cluster_code, subcluster_code, traded, weight``, and the
    target codes reached from the data's detailed code lengths (``detail_lengths`` per
    vintage)."""
    defs = definition.table[["industry_code", "cluster_code", "subcluster_code", "traded"]]
    codes = set(defs["industry_code"].astype(str))
    parents = store.parents(definition.classification)
    frames, notes = [], {}
    reached: set[str] = set()
    for vintage, lengths in detail_lengths.items():
        xw, notes[vintage] = _crosswalk(vintage, definition, store, rule, target_sizes)
        xw = xw.assign(to_code=definition_code(xw["to_code"].astype(str), codes, parents))
        at_detail = xw["from_code"].str.len().isin(lengths) & (xw["weight"] > 0)
        reached |= set(xw.loc[at_detail, "to_code"].dropna().astype(str))
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
    return weights, notes, reached


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
    detail_lengths: dict[str, set[int]],
    rule: SplitRule,
    target_sizes: pd.Series | None = None,
) -> IndustryMap:
    """The map of every data vintage's codes onto the definition's cells; ``detail_lengths``:
    the code lengths of each vintage's detailed rows in the data."""
    weights, notes, reached = _weights(definition, store, detail_lengths, rule, target_sizes)
    weights, cells = _cell_ids(weights, definition)
    table = weights[["vintage", "industry_code", "k_cl", "k_sub", "traded", "weight"]]
    return IndustryMap(table, cells, notes, frozenset(reached))
