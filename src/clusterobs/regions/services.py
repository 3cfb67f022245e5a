"""Writes of regions: boundary import (all-or-nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from clusterobs.imports.errors import ImportValidationError, RowError
from clusterobs.regions.boundaries import EUROSTAT_TO_ISO, read_boundaries
from clusterobs.regions.countries import is_known_country
from clusterobs.regions.india import district_code
from clusterobs.regions.models import Region, RegionLevel


@dataclass(frozen=True)
class RegionImportSpec:
    """How to read a boundary file's properties."""

    code_field: str
    name_field: str
    level: str
    country: str = ""
    country_field: str = ""
    region_type: str = ""
    parent_field: str = ""
    parent_level: str = ""
    layer: str | None = None
    code_prefix_field: str = ""
    simplify: float = 0.0


def import_regions(path: str | Path, spec: RegionImportSpec) -> tuple[int, int]:
    """Import boundaries; returns (created, updated). Nothing is written if any feature is bad."""
    path = Path(path)
    if spec.level not in RegionLevel.values:
        raise ValueError(f"--level must be one of {', '.join(RegionLevel.values)}")
    features = read_boundaries(path, layer=spec.layer, simplify=spec.simplify)
    errors: list[RowError] = []
    rows = []
    seen: dict[tuple[str, str], int] = {}
    for feature in features:
        props = feature.properties
        for column in (spec.code_field, spec.name_field, spec.country_field, spec.parent_field):
            if column and column not in props and column != "id":
                errors.append(RowError(path.name, feature.row, column, "no such property"))
        code = _text(props.get(spec.code_field))
        if spec.code_prefix_field:
            code = _text(props.get(spec.code_prefix_field)) + code
        name = _text(props.get(spec.name_field))
        country = spec.country.upper()
        if spec.country_field:
            raw = _text(props.get(spec.country_field)).upper()
            country = EUROSTAT_TO_ISO.get(raw, raw)
        if not code:
            errors.append(RowError(path.name, feature.row, spec.code_field, "is empty"))
        if not name:
            errors.append(RowError(path.name, feature.row, spec.name_field, "is empty"))
        if not is_known_country(country):
            errors.append(
                RowError(
                    path.name,
                    feature.row,
                    spec.country_field or "--country",
                    f"{country!r} is not an ISO 3166-1 alpha-2 country code",
                )
            )
        key = (country, code)
        if code and key in seen:
            errors.append(
                RowError(
                    path.name,
                    feature.row,
                    spec.code_field,
                    f"duplicate code {code!r} (also feature {seen[key]})",
                )
            )
        seen[key] = feature.row
        parent_code = _text(props.get(spec.parent_field)) if spec.parent_field else ""
        rows.append((feature, country, code, name, parent_code))
    if errors:
        raise ImportValidationError(errors)
    created = updated = 0
    with transaction.atomic():
        for feature, country, code, name, parent_code in rows:
            parent = None
            if parent_code:
                parent = Region.objects.filter(
                    country=country, level=spec.parent_level or RegionLevel.STATE, code=parent_code
                ).first()
                if parent is None:
                    errors.append(
                        RowError(
                            path.name,
                            feature.row,
                            spec.parent_field,
                            f"unknown parent region {parent_code!r}",
                        )
                    )
                    continue
            values = {
                "name": name,
                "region_type": spec.region_type or spec.level,
                "parent": parent,
                "geometry": feature.geometry,
                "source": path.name,
                "centroid_lon": feature.centroid[0] if feature.centroid else None,
                "centroid_lat": feature.centroid[1] if feature.centroid else None,
            }
            if feature.bbox:
                values.update(
                    dict(
                        zip(("min_lon", "min_lat", "max_lon", "max_lat"), feature.bbox, strict=True)
                    )
                )
            _, was_created = Region.objects.update_or_create(
                country=country, level=spec.level, code=code, defaults=values
            )
            created += was_created
            updated += not was_created
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportValidationError(errors)
    return created, updated


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass(frozen=True)
class DistrictImport:
    """What :func:`import_india_districts` did; ``without_code`` names the districts created
    after 2011 (no Census 2011 code, so no 2011 data can be matched to them)."""

    created: int
    updated: int
    without_code: list[str]


def import_india_districts(path: str | Path) -> DistrictImport:
    """Import Indian district boundaries keyed by their Census 2011 code (``censuscode``,
    zero-padded to three digits as in the census tables), all or nothing."""
    path = Path(path)
    features = read_boundaries(path)
    errors: list[RowError] = []
    coded, without_code = [], []
    for feature in features:
        props = feature.properties
        census = props.get("censuscode")
        if census is None or census == "" or census != census:  # absent, empty or NaN
            without_code.append(f"{_text(props.get('district'))} ({_text(props.get('st_nm'))})")
            continue
        try:
            # GDAL reads a column with gaps as floats: 99.0 is the code 099
            whole = isinstance(census, float) and census.is_integer()
            coded.append((feature, district_code(int(census) if whole else census)))
        except ValueError as exc:
            errors.append(RowError(path.name, feature.row, "censuscode", str(exc)))
    if errors:
        raise ImportValidationError(errors)
    created = updated = 0
    with transaction.atomic():
        for feature, code in coded:
            values = {
                "name": _text(feature.properties.get("district")),
                "region_type": "district",
                "geometry": feature.geometry,
                "source": path.name,
                "centroid_lon": feature.centroid[0] if feature.centroid else None,
                "centroid_lat": feature.centroid[1] if feature.centroid else None,
            }
            if feature.bbox:
                values.update(
                    zip(("min_lon", "min_lat", "max_lon", "max_lat"), feature.bbox, strict=True)
                )
            _, was_created = Region.objects.update_or_create(
                country="IN", level=RegionLevel.DISTRICT, code=code, defaults=values
            )
            created += was_created
            updated += not was_created
    return DistrictImport(created, updated, without_code)
