"""Region adjacency and hierarchy for peer groups.

Neighbours are regions that share a border. For the U.S. states and counties that ship with the
product (us-atlas TopoJSON, vendored under ``static/observatory/vendor``) two regions share a
border exactly when their geometries share an arc, which needs no geometry library. Other
boundaries come from the regions app (``clusterobs regions import``); there shapely's
``intersects`` on the GeoJSON geometries decides (touching or overlapping by rounding error).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from django.db.models import Q

ATLAS = Path(__file__).parent / "static" / "observatory" / "vendor" / "us-atlas"
ATLAS_OBJECTS = {
    "state": ("states-10m.json", "states"),
    "county": ("counties-10m.json", "counties"),
}


def _arcs(geometry: dict) -> set[int]:
    out: set[int] = set()

    def walk(a: object) -> None:
        if isinstance(a, list):
            for x in a:
                walk(x)
        elif isinstance(a, int):
            out.add(a if a >= 0 else ~a)

    walk(geometry.get("arcs", []))
    return out


@lru_cache(maxsize=4)
def atlas_adjacency(region_type: str) -> dict[str, list[str]]:
    """Neighbours by shared TopoJSON arcs in the vendored U.S. atlas (state or county FIPS)."""
    if region_type not in ATLAS_OBJECTS:
        return {}
    file, obj = ATLAS_OBJECTS[region_type]
    topo = json.loads((ATLAS / file).read_text())
    owners: dict[int, set[str]] = {}
    for g in topo["objects"][obj]["geometries"]:
        for arc in _arcs(g):
            owners.setdefault(arc, set()).add(str(g["id"]))
    adj: dict[str, set[str]] = {}
    for ids in owners.values():
        for a in ids:
            adj.setdefault(a, set()).update(ids - {a})
    return {k: sorted(v) for k, v in adj.items()}


def _region_qs(region_type: str):
    from clusterobs.regions.models import Region

    return Region.objects.filter(Q(region_type__iexact=region_type) | Q(level=region_type))


def has_boundaries(region_type: str) -> bool:
    """Whether a map of ``region_type`` can be drawn: the vendored U.S. atlas, or boundaries
    imported into the regions app (NUTS boundaries are not shipped: GISCO's terms)."""
    if region_type in ATLAS_OBJECTS:
        return True
    return _region_qs(region_type).filter(geometry__isnull=False).exists()


def neighbours(region_type: str, code: str) -> list[str]:
    """Codes of regions sharing a border with ``code``."""
    from shapely.geometry import shape

    qs = _region_qs(region_type)
    me = qs.filter(code=code).exclude(geometry=None).first()
    if me is not None:
        mine = shape(me.geometry)
        cands = qs.exclude(pk=me.pk).exclude(geometry=None)
        if me.min_lon is not None:
            cands = cands.filter(
                min_lon__lte=me.max_lon + 0.01,
                max_lon__gte=me.min_lon - 0.01,
                min_lat__lte=me.max_lat + 0.01,
                max_lat__gte=me.min_lat - 0.01,
            )
        return sorted(r.code for r in cands if shape(r.geometry).intersects(mine))
    return atlas_adjacency(region_type).get(code, [])


def same_parent(region_type: str, code: str) -> list[str]:
    """Codes of the other regions with the same parent (regions app), else by code prefix for
    U.S. counties (a county's first two FIPS digits are its state)."""
    me = _region_qs(region_type).filter(code=code).first()
    if me is not None and me.parent_id:
        return sorted(
            _region_qs(region_type)
            .filter(parent_id=me.parent_id)
            .exclude(pk=me.pk)
            .values_list("code", flat=True)
        )
    if region_type == "county" and len(code) == 5:
        return [c for c in atlas_adjacency("county") if c[:2] == code[:2] and c != code]
    return []


# Server-side maps (PDF reports) ------------------------------------------------------------


def _conic(
    p0: float, p1: float, rot: float, center: tuple[float, float], k: float, tx: float, ty: float
):
    """d3's conic equal-area projection (same code as the browser's, in observatory.js)."""
    import math

    rad = math.pi / 180
    s0 = math.sin(p0 * rad)
    n = (s0 + math.sin(p1 * rad)) / 2
    c = 1 + s0 * (2 * n - s0)
    r0 = math.sqrt(c) / n

    def raw(lam: float, phi: float) -> tuple[float, float]:
        r = math.sqrt(max(0.0, c - 2 * n * math.sin(phi))) / n
        return r * math.sin(lam * n), r0 - r * math.cos(lam * n)

    cx, cy = raw(center[0] * rad, center[1] * rad)
    dx, dy = tx - k * cx, ty + k * cy

    def project(lon: float, lat: float) -> tuple[float, float]:
        lam = ((lon + rot + 540) % 360) - 180
        x, y = raw(lam * rad, lat * rad)
        return dx + k * x, dy - k * y

    return project


_K, _TX, _TY = 1300, 487.5, 305
_LOWER48 = _conic(29.5, 45.5, 96, (-0.6, 38.7), _K, _TX, _TY)
_ALASKA = _conic(55, 65, 154, (-2, 58.5), _K * 0.35, _TX - 0.307 * _K, _TY + 0.201 * _K)
_HAWAII = _conic(8, 18, 157, (-3, 19.9), _K, _TX - 0.205 * _K, _TY + 0.212 * _K)


def albers_usa(lon: float, lat: float) -> tuple[float, float]:
    """d3's geoAlbersUsa (scale 1300, translate [487.5, 305]): lower 48, Alaska and Hawaii."""
    if lat > 50 and (lon < -129 or lon > 170):
        return _ALASKA(lon, lat)
    if lat < 23 and lon < -150:
        return _HAWAII(lon, lat)
    return _LOWER48(lon, lat)


@lru_cache(maxsize=2)
def atlas_paths(region_type: str) -> dict[str, str]:
    """SVG path data per region code, from the vendored TopoJSON (decoded here, no library)."""
    if region_type not in ATLAS_OBJECTS:
        return {}
    file, obj = ATLAS_OBJECTS[region_type]
    topo = json.loads((ATLAS / file).read_text())
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append(albers_usa(x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(indices: list[int]) -> str:
        pts: list[tuple[float, float]] = []
        for i in indices:
            seg = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.extend(seg[1:] if pts else seg)
        return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z"

    out = {}
    for g in topo["objects"][obj]["geometries"]:
        polys = g.get("arcs", [])
        if g.get("type") == "Polygon":
            polys = [polys]
        elif g.get("type") != "MultiPolygon":
            continue
        out[str(g["id"])] = "".join(ring(r) for poly in polys for r in poly)
    return out


def choropleth_svg(
    region_type: str, colours: dict[str, str], *, outline: str | None = None, label: str = ""
) -> str:
    """A static choropleth (U.S. states/counties) as an SVG string; "" for other types."""
    from html import escape

    paths = atlas_paths(region_type)
    if not paths:
        return ""
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 975 610" width="100%" '
        f'role="img" aria-label="{escape(label)}">'
    ]
    for code, d in paths.items():
        fill = colours.get(code, "#d9d9d9")
        parts.append(f'<path d="{d}" fill="{fill}" stroke="#fff" stroke-width="0.6"/>')
    if outline and outline in paths:
        parts.append(f'<path d="{paths[outline]}" fill="none" stroke="#E69F00" stroke-width="3"/>')
    parts.append("</svg>")
    return "".join(parts)
