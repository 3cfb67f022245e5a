"""Map industry codes of one classification vintage onto another through stored concordances.

Split rule (documented in ``docs/methodology.md``): a source code linked to ``n`` target codes
passes its employment (and establishments and payroll) to them

* ``equal`` (default): ``1/n`` to each target — needs no outside information, so it is neutral
  and reproducible; it is what the U.S. Cluster Mapping project did for codes it could not
  attribute.
* ``proportional``: in proportion to the size of each target code (e.g. national employment of the
  target code in years published in the target vintage), falling back to ``equal`` for a source
  code whose targets all have size zero or unknown.

Weights of one source code always sum to 1, so no employment is created or lost by a crosswalk.
Concordances are read in both directions (A->B rows serve B->A); a path over several vintages
(NAICS 2017 -> 2012 -> 2007) composes the steps by multiplying weights.
"""

from __future__ import annotations

import itertools
from collections import deque
from typing import Literal

import pandas as pd

from clusterobs.classifications.store import ClassificationStore

SplitRule = Literal["equal", "proportional"]


def _links(store: ClassificationStore, a: str, b: str) -> pd.DataFrame:
    xw = store.crosswalks
    fwd = xw[(xw["from_classification"] == a) & (xw["to_classification"] == b)]
    back = xw[(xw["from_classification"] == b) & (xw["to_classification"] == a)]
    links = pd.concat(
        [
            fwd[["from_code", "to_code", "note"]],
            back.rename(columns={"from_code": "to_code", "to_code": "from_code"})[
                ["from_code", "to_code", "note"]
            ],
        ],
        ignore_index=True,
    )
    return links.drop_duplicates(["from_code", "to_code"])


def find_path(store: ClassificationStore, source: str, target: str) -> list[str]:
    """Shortest chain of classifications linked by concordances, ``[source, ..., target]``."""
    if source == target:
        return [source]
    xw = store.crosswalks
    graph: dict[str, set[str]] = {}
    for a, b in (
        xw[["from_classification", "to_classification"]].drop_duplicates().itertuples(index=False)
    ):
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set()).add(a)
    seen = {source: [source]}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        for nxt in sorted(graph.get(node, ())):
            if nxt not in seen:
                seen[nxt] = [*seen[node], nxt]
                if nxt == target:
                    return seen[nxt]
                queue.append(nxt)
    raise ValueError(f"no crosswalk from {source} to {target} among the imported classifications")


def _weigh(links: pd.DataFrame, rule: SplitRule, sizes: pd.Series | None) -> pd.DataFrame:
    links = links.copy()
    n = links.groupby("from_code")["to_code"].transform("size")
    links["weight"] = 1.0 / n
    if rule == "proportional" and sizes is not None:
        size = links["to_code"].map(sizes).fillna(0.0).astype(float)
        total = size.groupby(links["from_code"]).transform("sum")
        use = total > 0
        links.loc[use, "weight"] = size[use] / total[use]
    return links


def crosswalk_weights(
    store: ClassificationStore,
    source: str,
    target: str,
    *,
    rule: SplitRule = "equal",
    target_sizes: pd.Series | None = None,
) -> pd.DataFrame:
    """Weights ``from_code, to_code, weight, note`` taking detailed ``source`` codes to ``target``.

    ``target_sizes`` (index: target code) is used by the ``proportional`` rule on the last step.
    For ``source == target`` this is the identity over every code of ``source``.
    """
    if source == target:  # every code, at any level: data may be published above the finest
        codes = store.codes.loc[store.codes["classification"] == source, "code"].astype(str)
        return pd.DataFrame(
            {"from_code": codes.values, "to_code": codes.values, "weight": 1.0, "note": "identity"}
        )
    path = find_path(store, source, target)
    result: pd.DataFrame | None = None
    for i, (a, b) in enumerate(itertools.pairwise(path)):
        last = i == len(path) - 2
        step = _weigh(
            _links(store, a, b), rule if last else "equal", target_sizes if last else None
        )
        if result is None:
            result = step
        else:
            merged = result.merge(
                step, left_on="to_code", right_on="from_code", suffixes=("", "_s")
            )
            merged["weight"] = merged["weight"] * merged["weight_s"]
            merged["note"] = merged["note"].where(
                merged["note"] == merged["note_s"], merged["note"] + "+" + merged["note_s"]
            )
            result = merged[["from_code", "to_code_s", "weight", "note"]].rename(
                columns={"to_code_s": "to_code"}
            )
    assert result is not None
    out = result.groupby(["from_code", "to_code"], as_index=False).agg(
        weight=("weight", "sum"), note=("note", "first")
    )
    # Renormalise: a chain can lose a branch whose intermediate code has no onward link.
    out["weight"] = out["weight"] / out.groupby("from_code")["weight"].transform("sum")
    return out
