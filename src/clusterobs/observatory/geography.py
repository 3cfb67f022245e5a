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
