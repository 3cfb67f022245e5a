"""Exports of clusters, organisations and schemes as CSV, JSON or GeoJSON.

CSV columns are the importer's columns, so an exported file can be edited and imported again
(``--update``). JSON carries the same rows; GeoJSON places records that have a location.
Key figures are exported for their most recent year (one observation per indicator); the full
time line is in the API.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from clusterobs.imports.safe_csv import write_dicts
from clusterobs.registry import selectors
from clusterobs.registry.importers import KEY_FIGURES
from clusterobs.registry.models import Cluster, Organisation, Scheme


def _num(value: Decimal | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        return format(value, "f")
    return repr(value)


def cluster_rows(clusters: Iterable[Cluster]) -> list[dict[str, Any]]:
    rows = []
    for c in clusters:
        figures = [f for f in c.key_figures.all() if f.indicator in KEY_FIGURES and f.year]
        year = max((f.year for f in figures), default=None)
        latest = {}
        for fig in figures:
            if fig.year == year and fig.indicator not in latest:
                latest[fig.indicator] = fig
        row = {
            "slug": c.slug,
            "name": c.name,
            "product": c.product,
            "place": c.place,
            "country": c.country,
            "state_code": c.state.code if c.state else "",
            "district_code": c.district.code if c.district else "",
            "latitude": _num(c.latitude),
            "longitude": _num(c.longitude),
            "location_precision": c.location_precision,
            "cluster_type": c.cluster_type,
            "spread": c.spread,
            "density": c.density,
            "breadth": c.breadth,
            "depth": c.depth,
            "performance": c.performance,
            "thematic_challenges": "; ".join(t.key for t in c.thematic_challenges.all()),
            "industry_codes": "; ".join(
                f"{i.classification}:{i.code}" for i in c.industry_codes.all()
            ),
            "description": c.description,
            "figures_year": str(year) if year else "",
        }
        for indicator in KEY_FIGURES:
            fig = latest.get(indicator)
            row[indicator] = _num(fig.value) if fig else ""
            row[f"{indicator}_unit"] = fig.unit if fig else ""
        row.update(
            source=c.source,
            source_date=c.source_date.isoformat() if c.source_date else "",
            source_detail=c.source_detail,
            published="yes" if c.published else "no",
        )
        rows.append(row)
    return rows


def organisation_rows(
    orgs: Iterable[Organisation], include_unpublished: bool = True
) -> list[dict[str, Any]]:
    rows = []
    for o in orgs:
        profile = getattr(o, "profile", None)
        row = {
            "slug": o.slug,
            "name": o.name,
            "kind": o.kind,
            "external_id": o.external_id,
            "country": o.country,
            "state_code": o.state.code if o.state else "",
            "city": o.city,
            "latitude": _num(o.latitude),
            "longitude": _num(o.longitude),
            "website": o.website,
            "description": o.description,
            "clusters": "; ".join(
                sorted(
                    {
                        link.cluster.slug
                        for link in o.links.all()
                        if include_unpublished or link.cluster.published
                    }
                )
            ),
            "sector_codes": "; ".join(f"{s.classification}:{s.code}" for s in o.sector_codes.all()),
        }
        for column in (
            "members_sme",
            "members_large",
            "members_research",
            "members_public",
            "members_other",
            "management_fte",
            "founding_year",
        ):
            value = getattr(profile, column, None) if profile else None
            row[column] = (
                "" if value is None else _num(value) if column == "management_fte" else str(value)
            )
        for column in ("sectors", "technologies", "value_chains", "labels"):
            row[column] = "; ".join(getattr(profile, column, []) or []) if profile else ""
        row.update(
            source=o.source,
            source_date=o.source_date.isoformat() if o.source_date else "",
            source_detail=o.source_detail,
            published="yes" if o.published else "no",
        )
        rows.append(row)
    return rows


def scheme_rows(
    schemes: Iterable[Scheme], include_unpublished: bool = True
) -> list[dict[str, Any]]:
    return [
        {
            "slug": s.slug,
            "name": s.name,
            "acronym": s.acronym,
            "kind": s.kind,
            "institution": s.institution,
            "country": s.country,
            "focus_areas": "; ".join(s.focus_areas),
            "description": s.description,
            "url": s.url,
            "clusters": "; ".join(
                c.slug for c in s.clusters.all() if include_unpublished or c.published
            ),
            "source": s.source,
            "source_date": s.source_date.isoformat() if s.source_date else "",
            "source_detail": s.source_detail,
            "published": "yes" if s.published else "no",
        }
        for s in schemes
    ]


def _csv(rows: list[dict[str, Any]]) -> str:
    # Formula-like cells defused (CSV injection): the one safe writer of every export.
    return write_dicts(rows)


def _geojson(rows: list[dict[str, Any]], entity: str) -> str:
    features = []
    for row in rows:
        has_point = row.get("latitude") not in (None, "")
        geometry = (
            {"type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]}
            if has_point
            else None
        )
        properties = {k: v for k, v in row.items() if k not in {"latitude", "longitude"}}
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return json.dumps(
        {"type": "FeatureCollection", "name": entity, "features": features},
        ensure_ascii=False,
        indent=1,
    )


def render(rows: list[dict[str, Any]], fmt: str, entity: str) -> str:
    """Rows (from ``cluster_rows`` etc.) as CSV, JSON or GeoJSON text."""
    if fmt == "csv":
        return _csv(rows)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1)
    if fmt == "geojson":
        return _geojson(rows, entity)
    raise ValueError(f"unknown format {fmt!r}")


def export(entity: str, fmt: str, *, include_unpublished: bool = False) -> str:
    """The records of ``entity`` in format ``fmt`` (csv, json or geojson)."""
    if entity == "clusters":
        rows = cluster_rows(selectors.clusters_for_export(include_unpublished))
    elif entity == "organisations":
        rows = organisation_rows(
            selectors.organisations_for_export(include_unpublished), include_unpublished
        )
    elif entity == "schemes":
        if fmt == "geojson":
            raise ValueError("schemes have no location: export them as csv or json")
        rows = scheme_rows(selectors.schemes_for_export(include_unpublished), include_unpublished)
    else:
        raise ValueError(f"unknown entity {entity!r}")
    return render(rows, fmt, entity)
