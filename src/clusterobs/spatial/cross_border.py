"""Cross-border spatial clusters: contiguous significant hot spots merged into one named cluster.

Administrative borders cut real clusters (Detroit-Ohio-Indiana automotive). Given the regions that
are significant hot spots (Gi* ``hot`` or LISA ``HH`` after the false-discovery correction), the
clusters are the **connected components** of the contiguity graph restricted to those regions:
two hot spots belong to the same cluster when a chain of hot spots, each sharing a border with the
next, joins them. The contiguity graph is queen contiguity of the boundaries, whatever weights the
statistics used (distance-based weights say nothing about shared borders). A hot spot without a hot
neighbour is a one-region cluster (``cross_border`` false).

Each cluster reports, from the mapping result's employment figures::

    employment       E_C   = sum_{r in C} E_cr
    lq_total         (E_C / sum_{r in C} E_r,total) / (E_c,nation / E_nation,total)
    lq_traded_local  (E_C / sum_{r in C} E_r,T)     / (E_c,nation / E_T,nation)
                     T = the traded (or local) economy, as the engine's lq_traded_local
    share of region r = E_cr / E_C

i.e. the LQs the engine would compute for the union as one region (the observatory's custom
regions recompute exactly that). Names list the three largest members by employment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from clusterobs.spatial.weights import SpatialWeights


@dataclass
class SpatialCluster:
    """A set of contiguous hot-spot regions."""

    cluster_id: int
    name: str
    members: list[str]
    member_names: list[str]
    employment: float | None = None
    lq_total: float | None = None
    lq_traded_local: float | None = None
    shares: dict[str, float] = field(default_factory=dict)
    mean_value: float | None = None

    @property
    def cross_border(self) -> bool:
        return len(self.members) > 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "cluster_id": self.cluster_id,
            "name": self.name,
            "regions": len(self.members),
            "cross_border": self.cross_border,
            "members": self.members,
            "member_names": self.member_names,
            "employment": self.employment,
            "lq_total": self.lq_total,
            "lq_traded_local": self.lq_traded_local,
            "shares": self.shares,
            "mean_value": self.mean_value,
        }


def components(codes: Iterable[str], contiguity: SpatialWeights) -> list[list[str]]:
    """Connected components of ``contiguity`` among ``codes`` (each sorted)."""
    chosen = [c for c in contiguity.ids if c in set(codes)]
    if not chosen:
        return []
    return [sorted(g) for g in contiguity.restrict(chosen).components()]


def merge_hot_spots(
    hot: Iterable[str],
    contiguity: SpatialWeights,
    *,
    names: Mapping[str, str] | None = None,
    figures: pd.DataFrame | None = None,
    national: Mapping[str, float] | None = None,
) -> list[SpatialCluster]:
    """Merge hot spots into clusters, largest employment (else most regions) first.

    ``figures`` (optional): ``region_code, value, employment, region_total, reference_total``
    (a :class:`~clusterobs.spatial.results.MeasureTable` frame); ``national``: ``employment``,
    ``total``, ``reference_total`` of the nation.
    """
    names = names or {}
    fig = figures.set_index("region_code") if figures is not None else None
    out: list[SpatialCluster] = []
    for group in components(list(hot), contiguity):
        c = SpatialCluster(0, "", group, [names.get(g, g) for g in group])
        if fig is not None:
            sub = fig.reindex(group)
            c.mean_value = _f(sub["value"].mean())
            emp = sub["employment"].astype("float64")
            if emp.notna().all():
                c.employment = float(emp.sum())
                if c.employment > 0:
                    c.shares = {g: float(e / c.employment) for g, e in emp.items()}
                c.lq_total = _lq(c.employment, sub["region_total"], national, "total")
                c.lq_traded_local = _lq(
                    c.employment, sub["reference_total"], national, "reference_total"
                )
        out.append(c)
    out.sort(key=lambda c: (-(c.employment or 0.0), -len(c.members), c.members[0]))
    for i, c in enumerate(out, start=1):
        c.cluster_id = i
        c.name = _name(c, names)
    return out


def _f(v: float) -> float | None:
    return None if v is None or not np.isfinite(v) else float(v)


def _lq(
    employment: float, totals: pd.Series, national: Mapping[str, float] | None, key: str
) -> float | None:
    if national is None or totals.isna().any():
        return None
    denom = float(totals.sum())
    nat_e, nat_t = national.get("employment"), national.get(key)
    if not denom or not nat_e or not nat_t:
        return None
    return (employment / denom) / (nat_e / nat_t)


def _name(c: SpatialCluster, names: Mapping[str, str]) -> str:
    order = sorted(c.members, key=lambda g: -c.shares.get(g, 0.0)) if c.shares else c.members
    head = [names.get(g, g) for g in order[:3]]
    more = len(order) - len(head)
    return " – ".join(head) + (f" + {more}" if more > 0 else "")
