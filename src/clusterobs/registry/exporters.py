"""Exports of clusters, organisations and schemes as CSV, JSON or GeoJSON.

CSV columns are the importer's columns, so an exported file can be edited and imported again
(``--update``). JSON carries the same rows; GeoJSON places records that have a location.
Key figures are exported for their most recent year (one observation per indicator); the full
time line is in the API.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from clusterobs.imports.safe_csv import write_dicts
from clusterobs.regions.models import Region
from clusterobs.registry import selectors
from clusterobs.registry.importers import KEY_FIGURES, columns_of
from clusterobs.registry.models import (
    CLUSTER_FIELDS,
    ORGANISATION_FIELDS,
    PROFILE_FIELDS,
    PROVENANCE_FIELDS,
    SCHEME_FIELDS,
    Cluster,
    Organisation,
    Scheme,
)


def _num(value: Decimal | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        return format(value, "f")
    return repr(value)


def _cell(value: Any, include_unpublished: bool) -> str:
    """A model value as the importer reads it back: codes for regions, keys or slugs joined by
    semicolons for related records and lists, ISO dates, "yes"/"no"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal | float):
        return _num(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Region):
        return value.code
    if isinstance(value, list):
        return "; ".join(value)
    if hasattr(value, "all"):
        shown = (o for o in value.all() if include_unpublished or getattr(o, "published", True))
        return "; ".join(getattr(o, "slug", None) or o.key for o in shown)
    return str(value)


def _cells(
    record: Any, fields: tuple[str, ...], include_unpublished: bool = True
) -> dict[str, str]:
    """The file columns of ``fields`` (``importers.columns_of``) with ``record``'s values."""
    return {
        column: _cell(getattr(record, name, None) if record else None, include_unpublished)
        for name, column in zip(fields, columns_of(fields), strict=True)
    }


def _latest_figures(cluster: Cluster) -> tuple[int | None, dict[str, Any]]:
    """The most recent year with key figures, and one figure per indicator of that year."""
    figures = [f for f in cluster.key_figures.all() if f.indicator in KEY_FIGURES and f.year]
    year = max((f.year for f in figures), default=None)
    latest: dict[str, Any] = {}
    for fig in figures:
        if fig.year == year and fig.indicator not in latest:
            latest[fig.indicator] = fig
    return year, latest


def cluster_rows(clusters: Iterable[Cluster]) -> list[dict[str, Any]]:
    rows = []
    for c in clusters:
        year, latest = _latest_figures(c)
        row = {"slug": c.slug, **_cells(c, CLUSTER_FIELDS)}
        row["industry_codes"] = "; ".join(
            f"{i.classification}:{i.code}" for i in c.industry_codes.all()
        )
        row["figures_year"] = str(year) if year else ""
        for indicator in KEY_FIGURES:
            fig = latest.get(indicator)
            row[indicator] = _num(fig.value) if fig else ""
            row[f"{indicator}_unit"] = fig.unit if fig else ""
        row.update(_cells(c, PROVENANCE_FIELDS))
        rows.append(row)
    return rows


def organisation_rows(
    orgs: Iterable[Organisation], include_unpublished: bool = True
) -> list[dict[str, Any]]:
    rows = []
    for o in orgs:
        clusters = {
            link.cluster.slug
            for link in o.links.all()
            if include_unpublished or link.cluster.published
        }
        row = {
            "slug": o.slug,
            **_cells(o, ORGANISATION_FIELDS),
            "clusters": "; ".join(sorted(clusters)),
            "sector_codes": "; ".join(f"{s.classification}:{s.code}" for s in o.sector_codes.all()),
            **_cells(getattr(o, "profile", None), PROFILE_FIELDS),
            **_cells(o, PROVENANCE_FIELDS),
        }
        rows.append(row)
    return rows


def scheme_rows(
    schemes: Iterable[Scheme], include_unpublished: bool = True
) -> list[dict[str, Any]]:
    return [
        {
            "slug": s.slug,
            **_cells(s, SCHEME_FIELDS, include_unpublished),
            **_cells(s, PROVENANCE_FIELDS),
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
