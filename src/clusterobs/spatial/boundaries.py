"""Region boundaries as the spatial statistics need them: codes, names and lon/lat geometries.

The statistics take any ``(codes, shapely geometries)`` pair, so that boundaries can come from a
GeoJSON or TopoJSON file (read with ``pyogrio``/GDAL, which decodes TopoJSON arcs), from the
regions app's stored GeoJSON (the observatory converts its rows), or from the U.S. atlas that the
observatory vendors for its maps (us-atlas 3.0.1: states and counties keyed by FIPS code).

A boundary set carries a *fingerprint* (SHA-256 of the file bytes plus the layer and code field)
that keys the spatial-weights cache: the same file gives the same weights, any edit rebuilds them.
Regions without a geometry are kept out of the geometry list and reported in
``without_geometry`` (never silently dropped).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry.base import BaseGeometry

from clusterobs.sources.errors import InputValidationError

#: The U.S. atlas vendored for the observatory's maps (same files as us-atlas@3.0.1 on npm).
ATLAS_DIR = Path(__file__).resolve().parents[1] / "observatory" / "static" / "observatory"
ATLAS_DIR = ATLAS_DIR / "vendor" / "us-atlas"
BUILTIN = {
    "state": (ATLAS_DIR / "states-10m.json", "states"),
    "county": (ATLAS_DIR / "counties-10m.json", "counties"),
}

CODE_FIELDS = ("code", "region_code", "id", "NUTS_ID", "GEOID", "geoid", "censuscode")
NAME_FIELDS = ("name", "NAME_LATN", "NUTS_NAME", "district", "NAME", "region_name")


@dataclass(frozen=True)
class RegionGeometries:
    """Regions of one type with their geometries in WGS84 longitude/latitude."""

    codes: tuple[str, ...]
    geometries: tuple[BaseGeometry, ...]
    names: tuple[str, ...]
    source: str
    fingerprint: str
    without_geometry: tuple[str, ...] = ()
    without_code: tuple[int, ...] = ()  # 1-based feature numbers with an empty code
    _index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not (len(self.codes) == len(self.geometries) == len(self.names)):
            raise ValueError("codes, geometries and names must have the same length")
        dup = _first_duplicate(self.codes)
        if dup is not None:
            raise InputValidationError(f"region code {dup!r} appears twice", file=self.source)
        self._index.update({c: i for i, c in enumerate(self.codes)})

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, code: object) -> bool:
        return code in self._index

    def name_of(self, code: str) -> str:
        i = self._index.get(code)
        return self.names[i] if i is not None else code

    @property
    def name_map(self) -> dict[str, str]:
        return dict(zip(self.codes, self.names, strict=True))

    def subset(self, codes: Iterable[str]) -> RegionGeometries:
        """The regions ``codes`` (in that order); unknown codes are an error."""
        codes = list(codes)
        missing = [c for c in codes if c not in self._index]
        if missing:
            raise KeyError(f"no boundary for region codes {', '.join(missing[:10])}")
        idx = [self._index[c] for c in codes]
        return RegionGeometries(
            codes=tuple(codes),
            geometries=tuple(self.geometries[i] for i in idx),
            names=tuple(self.names[i] for i in idx),
            source=self.source,
            fingerprint=_hash_text(self.fingerprint + "|" + ",".join(codes)),
        )


def _code_text(value: object) -> str:
    """A code or name as text; GeoJSON numbers such as ``101.0`` become ``"101"``."""
    if value is None:
        return ""
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def _first_duplicate(values: Sequence[str]) -> str | None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            return v
        seen.add(v)
    return None


def _hash_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def file_fingerprint(path: Path, *extra: str) -> str:
    """SHA-256 of the file's bytes and the reading options (layer, fields)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    for e in extra:
        h.update(b"|" + e.encode())
    return h.hexdigest()


def _pick(
    columns: Iterable[str], wanted: str | None, candidates: Sequence[str], path: Path, what: str
) -> str | None:
    cols = list(columns)
    if wanted is not None:
        if wanted not in cols:
            raise InputValidationError(
                f"no {what} field {wanted!r}; fields: {', '.join(cols)}", file=path, field=wanted
            )
        return wanted
    for c in candidates:
        if c in cols:
            return c
    return None


def read_boundaries(
    path: str | Path,
    *,
    layer: str | None = None,
    code_field: str | None = None,
    name_field: str | None = None,
) -> RegionGeometries:
    """Read a GeoJSON, TopoJSON, GeoPackage or shapefile layer of regions.

    The code field defaults to the first of ``code, region_code, id, NUTS_ID, GEOID, censuscode``
    present (TopoJSON object ids arrive as ``id``); codes are read as strings exactly as written.
    Geometries are reprojected to WGS84 when the file declares another CRS. Features without a
    geometry are listed in ``without_geometry``; features without a code (they cannot be joined
    to any data) are left out and their feature numbers listed in ``without_code``.
    """
    import pyogrio

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"boundary file {path} does not exist")
    try:
        df = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:  # GDAL's messages name the problem; keep the file in ours
        raise InputValidationError(f"cannot read boundaries: {exc}", file=path) from exc
    if df.crs is not None and not df.crs.equals("EPSG:4326"):
        df = df.to_crs("EPSG:4326")
    code_col = _pick(df.columns, code_field, CODE_FIELDS, path, "code")
    if code_col is None:
        raise InputValidationError(
            "no region code field found; name it with code_field", file=path, field="code"
        )
    name_col = _pick(df.columns, name_field, NAME_FIELDS, path, "name")
    codes = [_code_text(v) for v in df[code_col]]
    names = [
        _code_text(n) or c for n, c in zip(df[name_col] if name_col else codes, codes, strict=True)
    ]
    geoms = list(df.geometry.values)
    keep = [i for i, g in enumerate(geoms) if g is not None and not g.is_empty and codes[i]]
    kept = set(keep)
    without = tuple(codes[i] for i in range(len(codes)) if i not in kept and codes[i])
    without_code = tuple(i + 1 for i in range(len(codes)) if not codes[i])
    return RegionGeometries(
        codes=tuple(codes[i] for i in keep),
        geometries=tuple(geoms[i] for i in keep),
        names=tuple(names[i] for i in keep),
        source=f"{path}" + (f" (layer {layer})" if layer else ""),
        fingerprint=file_fingerprint(path, layer or "", code_col, name_col or ""),
        without_geometry=without,
        without_code=without_code,
    )


def builtin_boundaries(region_type: str) -> RegionGeometries:
    """U.S. states or counties from the vendored us-atlas (FIPS codes, 2017 Census boundaries)."""
    if region_type not in BUILTIN:
        raise KeyError(
            f"no built-in boundaries for region type {region_type!r} (built in: "
            f"{', '.join(BUILTIN)}); give a boundary file"
        )
    path, layer = BUILTIN[region_type]
    regions = read_boundaries(path, layer=layer, code_field="id", name_field="name")
    return RegionGeometries(
        codes=regions.codes,
        geometries=regions.geometries,
        names=regions.names,
        source=f"built-in us-atlas 3.0.1 {layer}",
        fingerprint=regions.fingerprint,
        without_geometry=regions.without_geometry,
        without_code=regions.without_code,
    )


def from_geojson(
    codes: Sequence[str],
    geometries: Sequence[dict[str, Any] | None],
    names: Sequence[str] | None = None,
    *,
    source: str = "regions",
) -> RegionGeometries:
    """Regions from GeoJSON geometry dicts (as the regions app stores them)."""
    from shapely.geometry import shape

    names = list(names) if names is not None else list(codes)
    keep = [i for i, g in enumerate(geometries) if g]
    payload = json.dumps(
        [[codes[i], geometries[i]] for i in keep], sort_keys=True, separators=(",", ":")
    )
    return RegionGeometries(
        codes=tuple(str(codes[i]) for i in keep),
        geometries=tuple(shape(geometries[i]) for i in keep),
        names=tuple(str(names[i]) for i in keep),
        source=source,
        fingerprint=_hash_text(payload),
        without_geometry=tuple(str(codes[i]) for i in range(len(codes)) if not geometries[i]),
    )
