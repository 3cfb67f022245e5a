"""Distances on a proper projection: which one, and how points become coordinates for a KD-tree.

Distances between establishments or region centroids are never taken on raw longitude/latitude
degrees. A *distance frame* says how they are measured:

* ``projected``: Euclidean distance in a named projected CRS (metres). ``auto`` picks a regional
  projection when every point lies inside its area: NAD83 / Conus Albers (EPSG:5070) for the
  contiguous United States, ETRS89 / LAEA Europe (EPSG:3035) for Europe, WGS 84 / India NSF LCC
  (EPSG:7755) for India. Any CRS can be named instead (``EPSG:32617``...).
* ``geodesic``: great-circle distance on the sphere of the mean Earth radius (6,371,008.8 m,
  IUGG). ``auto`` falls back to it when the points span more than one of those regions (U.S.
  facilities in Alaska, Hawaii, Puerto Rico and Guam together with the lower 48), because no single
  plane keeps those distances. Points are placed on the sphere in 3-D Cartesian coordinates;
  the straight-line (chord) distance ``c`` is monotone in the arc ``d = 2R asin(c / 2R)``, so a
  KD-tree range query on chords is an exact range query on great-circle distances.

Both frames give a KD-tree-ready array (``n x 2`` or ``n x 3``, metres) plus the conversions
between the tree's distances and true distances.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

EARTH_RADIUS_M = 6_371_008.8

#: (name, CRS, lon_min, lat_min, lon_max, lat_max): the areas in which ``auto`` uses the CRS.
REGIONAL_PROJECTIONS = (
    ("the contiguous United States", "EPSG:5070", -125.0, 24.0, -66.0, 50.0),
    ("Europe", "EPSG:3035", -32.0, 27.0, 45.0, 72.0),
    ("India", "EPSG:7755", 68.0, 6.0, 98.0, 38.0),
)


@dataclass(frozen=True)
class DistanceFrame:
    """How distances are measured (named in every output)."""

    kind: Literal["projected", "geodesic"]
    crs: str | None
    description: str

    def coordinates(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """KD-tree coordinates in metres: projected x/y, or 3-D points on the sphere."""
        lon = np.asarray(lon, dtype="float64")
        lat = np.asarray(lat, dtype="float64")
        if self.kind == "geodesic":
            lam, phi = np.radians(lon), np.radians(lat)
            cos_phi = np.cos(phi)
            return EARTH_RADIUS_M * np.column_stack(
                [cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)]
            )
        from pyproj import Transformer

        t = Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        x, y = t.transform(lon, lat)
        xy = np.column_stack([np.asarray(x), np.asarray(y)])
        if not np.isfinite(xy).all():
            bad = int(np.flatnonzero(~np.isfinite(xy).all(axis=1))[0])
            raise ValueError(
                f"point {bad + 1} (lon {lon[bad]}, lat {lat[bad]}) cannot be projected to "
                f"{self.crs}"
            )
        return xy

    def tree_radius(self, distance_m: float) -> float:
        """The KD-tree radius that selects pairs within ``distance_m`` (chord on the sphere)."""
        if self.kind == "geodesic":
            half = min(distance_m / (2 * EARTH_RADIUS_M), np.pi / 2)
            return float(2 * EARTH_RADIUS_M * np.sin(half))
        return float(distance_m)

    def true_distance(self, tree_distance: np.ndarray) -> np.ndarray:
        """Distances in metres from the KD-tree's Euclidean distances."""
        if self.kind == "geodesic":
            ratio = np.clip(np.asarray(tree_distance) / (2 * EARTH_RADIUS_M), 0.0, 1.0)
            return 2 * EARTH_RADIUS_M * np.arcsin(ratio)
        return np.asarray(tree_distance)


GEODESIC = DistanceFrame(
    "geodesic", None, "great-circle distance on the sphere R = 6,371,008.8 m (mean Earth radius)"
)


def choose_frame(lon: np.ndarray, lat: np.ndarray, requested: str = "auto") -> DistanceFrame:
    """``auto``, ``geodesic`` or a CRS (``EPSG:5070``); ``auto`` as in the module docstring."""
    lon = np.asarray(lon, dtype="float64")
    lat = np.asarray(lat, dtype="float64")
    req = (requested or "auto").strip()
    if req.lower() == "geodesic":
        return GEODESIC
    if req.lower() != "auto":
        from pyproj import CRS
        from pyproj.exceptions import CRSError

        try:
            crs = CRS.from_user_input(req)
        except CRSError as exc:
            raise ValueError(f"unknown CRS {req!r}: {exc}") from exc
        if not crs.is_projected:
            raise ValueError(f"{req} is not a projected CRS; distances need one (or 'geodesic')")
        return DistanceFrame("projected", req, f"Euclidean distance in {req} ({crs.name})")
    if lon.size == 0:
        return GEODESIC
    for name, code, x0, y0, x1, y1 in REGIONAL_PROJECTIONS:
        inside = (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
        if inside.all():
            return DistanceFrame(
                "projected", code, f"Euclidean distance in {code} (every point lies in {name})"
            )
    return DistanceFrame(
        "geodesic",
        None,
        GEODESIC.description + " (points span more than one regional projection)",
    )


def validate_lonlat(lon: np.ndarray, lat: np.ndarray, *, source: str = "points") -> None:
    """Longitudes in [-180, 180] and latitudes in [-90, 90], all finite (first bad one named)."""
    from clusterobs.sources.errors import InputValidationError

    lon = np.asarray(lon, dtype="float64")
    lat = np.asarray(lat, dtype="float64")
    for name, v, lo, hi in (("longitude", lon, -180, 180), ("latitude", lat, -90, 90)):
        bad = ~np.isfinite(v) | (v < lo) | (v > hi)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputValidationError(
                f"{name} {v[i]} is missing or outside [{lo}, {hi}]",
                file=source,
                row=i + 1,
                field=name,
            )
