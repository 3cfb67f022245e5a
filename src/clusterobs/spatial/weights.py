"""Spatial weights for a set of regions, built with ``libpysal`` and cached per region system.

Kinds (the CLI's ``--weights``):

* ``queen``: regions sharing at least one boundary point are neighbours;
* ``rook``: regions sharing a boundary edge (two consecutive vertices) are neighbours;
* ``knn:K``: each region's ``K`` nearest region centroids (asymmetric in general);
* ``distance:KM``: regions whose centroids are at most ``KM`` kilometres apart.

Contiguity comes from ``libpysal.weights.Queen``/``Rook`` on the geometries. Centroids for the
distance-based kinds are area centroids computed in a projection and distances follow
:mod:`clusterobs.spatial.projection` (a regional projection, else great-circle distances; the
frame is named in every output). Weights are stored *binary*; each statistic applies its own
standardisation (row-standardised for Moran and LISA, binary with self for Gi*).

**Islands** (regions without any neighbour: Hawaii and Alaska under contiguity, offshore
counties) are reported; the statistics keep them in the global sums as ``esda`` does and mark
their local statistics as not testable.

**Cache.** Building queen weights for 3,200 counties takes a fraction of a second, k-NN and
distance bands less, but the observatory asks for them on every page; they are kept as JSON under
``<data dir>/spatial/weights/``, keyed by the boundary set's fingerprint (a hash of the boundary
file), the kind and the distance frame. A changed file has a new fingerprint and so new weights.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from clusterobs.spatial.boundaries import RegionGeometries
from clusterobs.spatial.projection import DistanceFrame, choose_frame

CACHE_VERSION = 1
Kind = Literal["queen", "rook", "knn", "distance"]


@dataclass(frozen=True)
class WeightsSpec:
    """A parsed ``--weights`` value."""

    kind: Kind
    k: int | None = None
    km: float | None = None

    @classmethod
    def parse(cls, text: str) -> WeightsSpec:
        raw = (text or "queen").strip().lower()
        head, _, arg = raw.partition(":")
        if head in ("queen", "rook") and not arg:
            return cls(head)  # type: ignore[arg-type]
        if head == "knn":
            try:
                k = int(arg)
            except ValueError:
                k = 0
            if k < 1:
                raise ValueError(f"--weights knn:K needs a positive integer K, got {text!r}")
            return cls("knn", k=k)
        if head == "distance":
            try:
                km = float(arg)
            except ValueError:
                km = 0.0
            if not km > 0:
                raise ValueError(f"--weights distance:KM needs a positive distance, got {text!r}")
            return cls("distance", km=km)
        raise ValueError(f"--weights must be queen, rook, knn:K or distance:KM, got {text!r}")

    @property
    def label(self) -> str:
        if self.kind == "knn":
            return f"knn:{self.k}"
        if self.kind == "distance":
            return f"distance:{self.km:g}"
        return self.kind

    @property
    def contiguity(self) -> bool:
        return self.kind in ("queen", "rook")


@dataclass
class SpatialWeights:
    """Binary neighbour lists over region codes (order = ``ids``)."""

    spec: WeightsSpec
    ids: list[str]
    neighbors: dict[str, list[str]]
    frame: DistanceFrame | None
    source: str
    centroids: np.ndarray | None = None  # KD-tree coordinates (metres) for knn rebuilds

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def islands(self) -> list[str]:
        return [i for i in self.ids if not self.neighbors.get(i)]

    @property
    def cardinalities(self) -> dict[str, int]:
        return {i: len(self.neighbors.get(i, [])) for i in self.ids}

    def components(self) -> list[list[str]]:
        """Connected components of the (symmetrised) neighbour graph, largest first."""
        from scipy.sparse.csgraph import connected_components

        a = self.adjacency()
        n, labels = connected_components(a, directed=False)
        groups: list[list[str]] = [[] for _ in range(n)]
        for code, lab in zip(self.ids, labels, strict=True):
            groups[lab].append(code)
        return sorted(groups, key=lambda g: (-len(g), g[0]))

    def adjacency(self) -> Any:  # scipy.sparse.csr_matrix (SciPy is untyped)
        """Binary sparse adjacency matrix in ``ids`` order (rows: focal region)."""
        from scipy import sparse

        pos = {c: i for i, c in enumerate(self.ids)}
        rows, cols = [], []
        for c in self.ids:
            for nb in self.neighbors.get(c, []):
                rows.append(pos[c])
                cols.append(pos[nb])
        data = np.ones(len(rows))
        return sparse.csr_matrix((data, (rows, cols)), shape=(self.n, self.n))

    def to_libpysal(self, transform: str = "b") -> Any:  # libpysal.weights.W (untyped)
        """A fresh ``libpysal.weights.W`` (esda transforms its weights in place)."""
        from libpysal.weights import W

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            w = W(
                {i: list(self.neighbors.get(i, [])) for i in self.ids},
                id_order=list(self.ids),
                silence_warnings=True,
            )
        w.transform = transform
        return w

    def restrict(self, codes: list[str]) -> SpatialWeights:
        """Weights among ``codes`` only (regions without data leave the analysis).

        Contiguity and distance bands keep the remaining links; k-nearest neighbours are
        recomputed among the remaining centroids so that every region keeps ``K`` neighbours.
        """
        keep = set(codes)
        unknown = [c for c in codes if c not in set(self.ids)]
        if unknown:
            raise KeyError(f"no weights for region codes {', '.join(unknown[:10])}")
        if self.spec.kind == "knn" and self.centroids is not None:
            pos = {c: i for i, c in enumerate(self.ids)}
            coords = self.centroids[[pos[c] for c in codes]]
            nbrs = _knn(coords, list(codes), self.spec.k or 1)
            return SpatialWeights(self.spec, list(codes), nbrs, self.frame, self.source, coords)
        nbrs = {c: [n for n in self.neighbors.get(c, []) if n in keep] for c in codes}
        cent = None
        if self.centroids is not None:
            pos = {c: i for i, c in enumerate(self.ids)}
            cent = self.centroids[[pos[c] for c in codes]]
        return SpatialWeights(self.spec, list(codes), nbrs, self.frame, self.source, cent)

    def describe(self) -> dict[str, Any]:
        card = np.array(list(self.cardinalities.values()) or [0])
        return {
            "kind": self.spec.label,
            "regions": self.n,
            "links": int(card.sum()),
            "mean_neighbours": round(float(card.mean()), 3) if self.n else 0.0,
            "islands": self.islands,
            "components": len(self.components()) if self.n else 0,
            "distance": self.frame.description if self.frame else None,
            "boundaries": self.source,
        }

    # Cache ---------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "version": CACHE_VERSION,
            "spec": self.spec.label,
            "ids": self.ids,
            "neighbors": self.neighbors,
            "frame": None
            if self.frame is None
            else {"kind": self.frame.kind, "crs": self.frame.crs, "desc": self.frame.description},
            "source": self.source,
            "centroids": None if self.centroids is None else self.centroids.tolist(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SpatialWeights:
        f = data.get("frame")
        frame = DistanceFrame(f["kind"], f["crs"], f["desc"]) if f else None
        cent = data.get("centroids")
        return cls(
            WeightsSpec.parse(data["spec"]),
            list(data["ids"]),
            {k: list(v) for k, v in data["neighbors"].items()},
            frame,
            data["source"],
            None if cent is None else np.asarray(cent, dtype="float64"),
        )


def _knn(coords: np.ndarray, ids: list[str], k: int) -> dict[str, list[str]]:
    from scipy.spatial import cKDTree

    if k >= len(ids):
        raise ValueError(f"knn:{k} needs more than {k} regions (have {len(ids)})")
    _, idx = cKDTree(coords).query(coords, k=k + 1)
    out: dict[str, list[str]] = {}
    for i, row in enumerate(idx):
        out[ids[i]] = [ids[j] for j in row if j != i][:k]
    return out


def centroids(regions: RegionGeometries, frame: DistanceFrame) -> np.ndarray:
    """Area centroids as KD-tree coordinates of ``frame`` (metres).

    Projected frames take the centroid in their own CRS; the geodesic frame takes it in the
    global equal-area projection EPSG:6933 and places it on the sphere.
    """
    import shapely
    from pyproj import Transformer

    geoms = np.asarray(regions.geometries, dtype=object)
    if frame.kind == "projected":
        fwd = Transformer.from_crs("EPSG:4326", frame.crs, always_xy=True)
        projected = shapely.transform(geoms, lambda xy: np.column_stack(fwd.transform(*xy.T)))
        c = shapely.centroid(projected)
        return np.column_stack([shapely.get_x(c), shapely.get_y(c)])
    fwd = Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True)
    back = Transformer.from_crs("EPSG:6933", "EPSG:4326", always_xy=True)
    projected = shapely.transform(geoms, lambda xy: np.column_stack(fwd.transform(*xy.T)))
    c = shapely.centroid(projected)
    lon, lat = back.transform(shapely.get_x(c), shapely.get_y(c))
    return frame.coordinates(np.asarray(lon), np.asarray(lat))


def _representative_lonlat(regions: RegionGeometries) -> tuple[np.ndarray, np.ndarray]:
    import shapely

    pts = shapely.point_on_surface(np.asarray(regions.geometries, dtype=object))
    return shapely.get_x(pts), shapely.get_y(pts)


def build_weights(
    regions: RegionGeometries,
    spec: WeightsSpec | str = "queen",
    *,
    crs: str = "auto",
    cache_dir: Path | None = None,
) -> SpatialWeights:
    """Weights over all regions of ``regions`` (cached under ``cache_dir`` when given)."""
    spec = WeightsSpec.parse(spec) if isinstance(spec, str) else spec
    frame: DistanceFrame | None = None
    if not spec.contiguity:
        lon, lat = _representative_lonlat(regions)
        frame = choose_frame(lon, lat, crs)
    key = _cache_key(regions, spec, frame)
    path = cache_dir / f"{key}.json" if cache_dir is not None else None
    if path is not None and path.exists():
        try:
            return SpatialWeights.from_json(json.loads(path.read_text()))
        except (ValueError, KeyError, TypeError):
            pass  # unreadable cache entry (older version): rebuild and overwrite
    weights = _build(regions, spec, frame)
    if path is not None:
        _write_atomic(path, json.dumps(weights.to_json(), separators=(",", ":")))
    return weights


def _cache_key(regions: RegionGeometries, spec: WeightsSpec, frame: DistanceFrame | None) -> str:
    parts = [str(CACHE_VERSION), regions.fingerprint, spec.label]
    if frame is not None:
        parts += [frame.kind, frame.crs or ""]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _build(
    regions: RegionGeometries, spec: WeightsSpec, frame: DistanceFrame | None
) -> SpatialWeights:
    from libpysal import weights as lw

    ids = list(regions.codes)
    if len(ids) < 2:
        raise ValueError("spatial weights need at least two regions with boundaries")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if spec.contiguity:
            cls = lw.Queen if spec.kind == "queen" else lw.Rook
            w = cls.from_iterable(list(regions.geometries), ids=ids, silence_warnings=True)
            nbrs = {str(k): sorted(str(x) for x in v) for k, v in w.neighbors.items()}
            return SpatialWeights(
                spec, ids, {i: nbrs.get(i, []) for i in ids}, None, regions.source
            )
        assert frame is not None
        coords = centroids(regions, frame)
        if spec.kind == "knn":
            nbrs = _knn(coords, ids, spec.k or 1)
        else:
            radius = frame.tree_radius((spec.km or 0.0) * 1000.0)
            w = lw.DistanceBand(
                coords, threshold=radius, binary=True, ids=ids, silence_warnings=True
            )
            nbrs = {str(k): sorted(str(x) for x in v) for k, v in w.neighbors.items()}
    return SpatialWeights(
        spec, ids, {i: nbrs.get(i, []) for i in ids}, frame, regions.source, coords
    )
