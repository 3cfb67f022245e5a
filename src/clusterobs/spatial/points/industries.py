"""Which points belong to an industry, when the point file mixes classification vintages.

Establishment files rarely say which NAICS vintage a code is from (the EPA TRI file mixes
2002-2017: most steel mills report the NAICS 2002/2007 code 331111, eleven the NAICS 2012 code
331110 that replaced it). A target industry is matched through the stored concordances
(:mod:`clusterobs.classifications.crosswalk`):

1. the family is every vintage of the target's classification with official concordances (a
   vintage only bridged by identical codes, NAICS 1997 without its concordance, is left out);
   the *target vintage* is the one named, else the most recent vintage of the family (NAICS) in
   which the target code exists; the target may be any level (``3311``: every detailed code under
   it in that vintage);
2. for every vintage ``V`` of the family, the crosswalk ``V -> target vintage`` gives each
   detailed code of ``V`` the share of it that falls in the target (1 for a renamed or merged
   code, 1/k for a code split into k);
3. a point's code may exist in several vintages. It is a **full match** when in every vintage
   where it exists its whole weight falls in the target, **partial** when only part of it does
   (a split, or a code whose meaning changed between vintages), **no match** otherwise. Codes that
   exist in no vintage are **unknown**.

Full matches are included; partial ones only on request (``include_partial``), because a point is
one establishment and cannot be split. The report gives every matched code with its vintages and
the number of points per vintage, so nothing is matched silently. Without imported
classifications, codes are matched literally (a code equal to the target or under it) and the
report says so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from clusterobs.classifications.store import ClassificationStore


@dataclass
class IndustryMatch:
    target: str
    target_vintage: str | None
    mask: np.ndarray
    codes: pd.DataFrame  # code, points, vintages, status, share, included
    per_vintage: dict[str, int] = field(default_factory=dict)
    method: str = "crosswalk"
    include_partial: bool = False

    @property
    def n(self) -> int:
        return int(self.mask.sum())

    def report(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "target_vintage": self.target_vintage,
            "method": self.method,
            "include_partial": self.include_partial,
            "points": self.n,
            "points_per_vintage": self.per_vintage,
            "codes": self.codes.to_dict(orient="records"),
        }


def _family(store: ClassificationStore, target_vintage: str | None) -> list[str]:
    """Vintages of the target's family with official concordances (a vintage bridged by identical
    codes only, such as NAICS 1997 without its concordance file, adds no information)."""
    prefix = "".join(ch for ch in (target_vintage or "NAICS") if ch.isalpha())
    xw = store.crosswalks
    bridged = {
        name
        for name, notes in xw.groupby("from_classification")["note"]
        if set(notes) == {"identity-bridge"}
    }
    return sorted(n for n in store.names() if n.startswith(prefix) and n not in bridged)


def _targets(store: ClassificationStore, target: str, vintage: str) -> set[str]:
    detailed = set(store.detailed_codes(vintage))
    return {c for c in detailed if c.startswith(target)}


def match_industry(
    codes: np.ndarray,
    target: str,
    store: ClassificationStore | None = None,
    *,
    target_vintage: str | None = None,
    include_partial: bool = False,
) -> IndustryMatch:
    """Match point ``codes`` (str or None) to ``target`` (see the module docstring)."""
    target = str(target).strip()
    counts = Counter(c for c in codes if c is not None)
    if store is None or store.codes.empty:
        hits = {c for c in counts if c.startswith(target)}
        mask = np.array([c in hits for c in codes], dtype=bool)
        table = pd.DataFrame(
            [
                {
                    "code": c,
                    "points": counts[c],
                    "vintages": "",
                    "status": "literal",
                    "share": 1.0,
                    "included": True,
                }
                for c in sorted(hits)
            ],
            columns=["code", "points", "vintages", "status", "share", "included"],
        )
        return IndustryMatch(target, None, mask, table, {}, "literal (no classifications)")
    from clusterobs.classifications.crosswalk import crosswalk_weights

    family = _family(store, target_vintage)
    if target_vintage is None:
        having = [v for v in family if _targets(store, target, v)]
        if not having:
            raise ValueError(f"industry {target} is not a code of any {family[0][:5]} vintage")
        target_vintage = having[-1]
    elif target_vintage not in family:
        raise ValueError(f"unknown classification {target_vintage!r}")
    wanted = _targets(store, target, target_vintage)
    if not wanted:
        raise ValueError(f"industry {target} is not a code of {target_vintage}")
    share: dict[str, dict[str, float]] = {}  # vintage -> code -> share in the target
    exists: dict[str, set[str]] = {}
    for v in family:
        exists[v] = set(store.detailed_codes(v))
        if v == target_vintage:
            share[v] = {c: 1.0 for c in wanted}
            continue
        xw = crosswalk_weights(store, v, target_vintage)
        xw = xw[xw["to_code"].isin(wanted)]
        share[v] = xw.groupby("from_code")["weight"].sum().to_dict()
    rows, matched = [], set()
    per_vintage: Counter[str] = Counter()
    for code, n in sorted(counts.items()):
        where = [v for v in family if code in exists[v]]
        if not where:
            status, s = "unknown", 0.0
        else:
            shares = [share[v].get(code, 0.0) for v in where]
            if all(x >= 1 - 1e-9 for x in shares):
                status, s = "full", 1.0
            elif any(x > 0 for x in shares):
                status, s = "partial", float(np.mean(shares))
            else:
                continue
        if status == "unknown" and not code.startswith(target):
            continue
        included = status == "full" or (status == "partial" and include_partial)
        if included:
            matched.add(code)
            for v in where:
                per_vintage[v] += n
        rows.append(
            {
                "code": code,
                "points": n,
                "vintages": ", ".join(where),
                "status": status,
                "share": s,
                "included": included,
            }
        )
    mask = np.array([c in matched for c in codes], dtype=bool)
    table = pd.DataFrame(
        rows, columns=["code", "points", "vintages", "status", "share", "included"]
    )
    return IndustryMatch(
        target, target_vintage, mask, table, dict(per_vintage), "crosswalk", include_partial
    )
