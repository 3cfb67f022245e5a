"""NAICS <-> ISIC Rev.4 <-> NACE Rev.2 / NIC 2008 concordances at the level the data are published.

The stored concordances (:mod:`clusterobs.classifications.store`) link detailed codes: 6-digit
NAICS to 4-digit ISIC classes (Census Bureau, "2017 NAICS to ISIC 4"), NACE classes to ISIC
classes (Eurostat's ISIC reference of every NACE class), NIC detailed codes to ISIC classes (by
prefix). :func:`clusterobs.classifications.crosswalk.crosswalk_weights` chains them (NAICS 2017
-> ISIC 4 -> NACE 2) with a split rule: ``equal`` (a code linked to ``n`` targets gives ``1/n``
to each) or ``proportional`` (by target size). Regional data are coarser than the detailed
codes: Eurostat's regional SBS has NACE divisions plus the groups of 45-47, the Census of India
NIC classes. :func:`weights_at_level` adds the detailed weights up to that level (a NACE class's
weight goes to its division or group), so each source code's weights still add up to one.

:func:`linkage` reports the **mapped share**: the share of source codes, and of their
employment where sizes are given, that reach at least one target code; a code without a link is
listed, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import pandas as pd

from clusterobs.classifications.crosswalk import SplitRule, crosswalk_weights
from clusterobs.classifications.store import ClassificationStore

#: Regional SBS (``sbs_r_nuts06_r2``): divisions, with G45, G46 and G47 broken down by group.
SBS_GROUP_DIVISIONS = ("45", "46", "47")
NaceLevel = Literal["division", "group", "class", "sbs"]


def nace_level_code(level: NaceLevel) -> Callable[[str], str]:
    """Function taking a NACE class (``45.11``) to the code at ``level``: ``division`` ``45``;
    ``group`` ``45.1``; ``class`` itself; ``sbs`` the group for divisions 45-47, else the
    division."""
    if level == "division":
        return lambda code: code[:2]
    if level == "group":
        return lambda code: code[:4]
    if level == "class":
        return lambda code: code
    if level == "sbs":
        return lambda code: code[:4] if code[:2] in SBS_GROUP_DIVISIONS else code[:2]
    raise ValueError(f"unknown NACE level {level!r}")


def nic_level_code(level: Literal["division", "group", "class"]) -> Callable[[str], str]:
    """NIC/ISIC codes: ``division`` first 2 digits, ``group`` 3, ``class`` 4."""
    width = {"division": 2, "group": 3, "class": 4}[level]
    return lambda code: code[:width]


def weights_at_level(
    store: ClassificationStore,
    source: str,
    target: str,
    level_code: Callable[[str], str],
    *,
    rule: SplitRule = "equal",
    target_sizes: pd.Series | None = None,
) -> pd.DataFrame:
    """``from_code, to_code, weight, note``: detailed ``source`` codes to ``target`` codes at
    a coarser level (``level_code`` maps a detailed target code to its code at that level)."""
    w = crosswalk_weights(store, source, target, rule=rule, target_sizes=target_sizes)
    w = w.assign(to_code=w["to_code"].map(level_code))
    out = w.groupby(["from_code", "to_code"], as_index=False).agg(
        weight=("weight", "sum"), note=("note", "first")
    )
    return out.sort_values(["from_code", "to_code"], ignore_index=True)


def linkage(
    weights: pd.DataFrame, source_codes: pd.Series, sizes: pd.Series | None = None
) -> tuple[pd.DataFrame, dict[str, float]]:
    """Which source codes reach a target: per code ``code, targets, linked`` (and ``size``),
    and a summary ``codes, codes_linked, share_codes_linked`` (and ``share_size_linked``)."""
    n = weights.groupby("from_code")["to_code"].nunique()
    codes = pd.Series(pd.unique(source_codes.astype(str)))
    per = pd.DataFrame({"code": codes, "targets": codes.map(n).fillna(0).astype(int).to_numpy()})
    per["linked"] = per["targets"] > 0
    summary = {
        "codes": float(len(per)),
        "codes_linked": float(per["linked"].sum()),
        "share_codes_linked": float(per["linked"].mean()) if len(per) else 0.0,
    }
    if sizes is not None:
        per["size"] = per["code"].map(sizes).fillna(0.0).astype(float)
        total = per["size"].sum()
        summary["share_size_linked"] = (
            float(per.loc[per["linked"], "size"].sum() / total) if total > 0 else 0.0
        )
    return per, summary
