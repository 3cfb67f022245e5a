"""One hot-spot analysis: Moran's I, LISA, Gi* and cross-border clusters for one measure.

Wires the single statistics together for the CLI, the API and the observatory:

1. regions = those with both a value and a boundary; values without a boundary (``unmatched``)
   and boundaries without a value (``no_data``) are reported, never filled;
2. weights are built (or read from the cache) on the whole boundary set and restricted to those
   regions (:meth:`~clusterobs.spatial.weights.SpatialWeights.restrict`);
3. global Moran's I, local Moran and Gi* run on the same values and weights with one seed;
4. significant hot spots (Gi* ``hot`` by default, or LISA ``HH``) are merged into cross-border
   clusters over queen contiguity (:mod:`clusterobs.spatial.cross_border`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from clusterobs.spatial import fdr
from clusterobs.spatial._inputs import DEFAULT_PERMUTATIONS, DEFAULT_SEED
from clusterobs.spatial.boundaries import RegionGeometries
from clusterobs.spatial.cross_border import SpatialCluster, merge_hot_spots
from clusterobs.spatial.getis_ord import GetisOrdGiStar
from clusterobs.spatial.lisa import LocalMoran
from clusterobs.spatial.moran import GlobalMoran
from clusterobs.spatial.weights import SpatialWeights, WeightsSpec, build_weights

Basis = Literal["gi_star", "lisa"]


@dataclass
class HotSpotAnalysis:
    """All region statistics of one measure; see the module docstring."""

    codes: list[str]
    names: dict[str, str]
    values: pd.Series
    weights: SpatialWeights
    moran: GlobalMoran
    lisa: LocalMoran
    gi: GetisOrdGiStar | None
    clusters: list[SpatialCluster]
    basis: Basis
    no_data: list[str]
    unmatched: list[str]
    without_geometry: list[str]
    seconds: float
    gi_skipped: str | None = None

    def region_rows(self) -> list[dict[str, Any]]:
        """One row per analysed region: value, LISA, Gi* and the cluster it belongs to."""
        member_of = {m: c.cluster_id for c in self.clusters for m in c.members}
        lisa = {r["region_code"]: r for r in self.lisa.rows()}
        gi = {r["region_code"]: r for r in self.gi.rows()} if self.gi else {}
        rows = []
        for c in self.codes:
            row = {"region_code": c, "name": self.names.get(c, c), "value": float(self.values[c])}
            row.update({k: v for k, v in lisa[c].items() if k != "region_code"})
            if gi:
                row.update({k: v for k, v in gi[c].items() if k != "region_code"})
            row["neighbours"] = len(self.weights.neighbors.get(c, []))
            row["spatial_cluster"] = member_of.get(c)
            rows.append(row)
        return rows

    def summary(self) -> dict[str, Any]:
        return {
            "regions": len(self.codes),
            "weights": self.weights.describe(),
            "moran": self.moran.summary(),
            "lisa_counts": self.lisa.counts(),
            "gi_counts": self.gi.counts() if self.gi else None,
            "gi_skipped": self.gi_skipped,
            "cluster_basis": "Gi* hot spots" if self.basis == "gi_star" else "LISA high-high",
            "spatial_clusters": len(self.clusters),
            "cross_border_clusters": sum(1 for c in self.clusters if c.cross_border),
            "multiple_testing": fdr.METHOD,
            "alpha": self.lisa.alpha,
            "permutations": self.lisa.permutations,
            "seed": self.lisa.seed,
            "no_data": self.no_data,
            "unmatched": self.unmatched,
            "without_geometry": self.without_geometry,
            "seconds": round(self.seconds, 3),
        }


def analyse(
    values: Mapping[str, float] | pd.Series,
    regions: RegionGeometries,
    *,
    weights: WeightsSpec | str = "queen",
    permutations: int = DEFAULT_PERMUTATIONS,
    alpha: float = 0.05,
    seed: int = DEFAULT_SEED,
    basis: Basis = "gi_star",
    cache_dir: Path | None = None,
    crs: str = "auto",
    figures: pd.DataFrame | None = None,
    national: Mapping[str, float] | None = None,
) -> HotSpotAnalysis:
    """Run the whole analysis on ``values`` (region code -> value, no missing values)."""
    started = time.perf_counter()
    if basis not in ("gi_star", "lisa"):
        raise ValueError("basis must be 'gi_star' or 'lisa'")
    series = pd.Series(values, dtype="float64")
    series.index = series.index.astype(str)
    if series.index.has_duplicates:
        raise ValueError(f"region {series.index[series.index.duplicated()][0]} has two values")
    series = series.dropna()
    spec = WeightsSpec.parse(weights) if isinstance(weights, str) else weights
    unmatched = sorted(c for c in series.index if c not in regions)
    codes = [c for c in regions.codes if c in series.index]
    no_data = sorted(c for c in regions.codes if c not in series.index)
    full = build_weights(regions, spec, crs=crs, cache_dir=cache_dir)
    w = full.restrict(codes)
    y = series.reindex(codes).to_numpy()
    moran = GlobalMoran(y, w, permutations=permutations, seed=seed)
    lisa = LocalMoran(y, w, permutations=permutations, alpha=alpha, seed=seed)
    gi, gi_skipped = None, None
    if (y < 0).any():
        gi_skipped = "the measure has negative values; Gi* needs non-negative ones"
    else:
        gi = GetisOrdGiStar(y, w, permutations=permutations, alpha=alpha, seed=seed)
    if basis == "gi_star" and gi is None:
        basis = "lisa"
    if basis == "gi_star":
        hot = gi.hot  # type: ignore[union-attr]
    else:
        hot = [c for c, lab in zip(lisa.codes, lisa.label, strict=True) if lab == "HH"]
    contiguity = (
        w
        if spec.kind == "queen"
        else build_weights(regions, "queen", cache_dir=cache_dir).restrict(codes)
    )
    names = regions.name_map
    clusters = merge_hot_spots(hot, contiguity, names=names, figures=figures, national=national)
    return HotSpotAnalysis(
        codes=codes,
        names=names,
        values=series.reindex(codes),
        weights=w,
        moran=moran,
        lisa=lisa,
        gi=gi,
        clusters=clusters,
        basis=basis,
        no_data=no_data,
        unmatched=unmatched,
        without_geometry=list(regions.without_geometry),
        seconds=time.perf_counter() - started,
        gi_skipped=gi_skipped,
    )
