"""Read boundary files (GeoJSON, TopoJSON, anything GDAL reads) into plain features.

Framework-free. GDAL (through pyogrio, which bundles it) decodes TopoJSON arcs and GeoJSON
alike; shapely computes the representative point, the bounding box and an optional
simplification that keeps maps light in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyogrio
import shapely
from shapely.geometry import mapping

from clusterobs.imports.errors import ImportValidationError, RowError

#: Eurostat/GISCO country codes that differ from ISO 3166-1 alpha-2.
EUROSTAT_TO_ISO = {"EL": "GR", "UK": "GB"}


@dataclass(frozen=True)
class BoundaryFeature:
    row: int
    properties: dict[str, Any]
    geometry: dict[str, Any] | None
    centroid: tuple[float, float] | None
    bbox: tuple[float, float, float, float] | None


def list_layers(path: Path) -> list[str]:
    return [str(name) for name, _ in pyogrio.list_layers(path)]


def read_boundaries(
    path: str | Path, *, layer: str | None = None, simplify: float = 0.0
) -> list[BoundaryFeature]:
    """Features of ``path`` (one layer), in WGS84, with centroid and bounding box."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    layers = list_layers(path)
    if layer is None and len(layers) > 1:
        raise ImportValidationError(
            [RowError(path.name, 0, "layer", f"the file has layers {layers}: choose one")]
        )
    if layer is not None and layer not in layers:
        raise ImportValidationError(
            [RowError(path.name, 0, "layer", f"no layer {layer!r}; the file has {layers}")]
        )
    meta, _, geometries, field_data = pyogrio.raw.read(path, layer=layer)
    crs = meta.get("crs")
    if crs and crs.upper() not in {"EPSG:4326", "OGC:CRS84"}:
        raise ImportValidationError(
            [RowError(path.name, 0, "crs", f"boundaries must be in WGS84 (EPSG:4326), not {crs}")]
        )
    names = [str(f) for f in meta["fields"]]
    features = []
    shapes = shapely.from_wkb(geometries)
    for index, shape in enumerate(shapes):
        props = {name: _plain(field_data[i][index]) for i, name in enumerate(names)}
        if shape is None or shape.is_empty:
            features.append(BoundaryFeature(index + 1, props, None, None, None))
            continue
        if simplify > 0:
            shape = shapely.simplify(shape, simplify, preserve_topology=True)
        point = shape.representative_point()
        features.append(
            BoundaryFeature(
                index + 1, props, mapping(shape), (point.x, point.y), tuple(shape.bounds)
            )
        )
    return features


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    return value
