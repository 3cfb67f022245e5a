"""Importers for clusters, organisations and schemes (CSV, XLSX or JSON).

Every row is validated first (required fields, code formats, known countries and regions,
non-negative numbers, duplicates within the file and against the database); if anything is
wrong the import fails as a whole with file, row and field named, and nothing is written.
Only then are all rows written in one transaction.

Column names are documented in ``docs/imports.md``; a few common aliases are accepted (for
example ``org_title`` for ``name`` in the U.S. Cluster Mapping organisation list).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from clusterobs.imports.cells import RowReader
from clusterobs.imports.errors import ImportValidationError, RowError
from clusterobs.imports.readers import Row, Table, read_table
from clusterobs.regions.countries import is_known_country
from clusterobs.regions.models import Region
from clusterobs.registry import services
from clusterobs.registry.codes import code_error, parse_coded_list
from clusterobs.registry.models import (
    CLUSTER_FIELDS,
    ORGANISATION_FIELDS,
    PROFILE_FIELDS,
    PROFILE_LIST_FIELDS,
    PROFILE_MEMBER_FIELDS,
    PROVENANCE_FIELDS,
    SCHEME_FIELDS,
    Cluster,
    ClusterLink,
    Organisation,
    OrganisationProfile,
    OrganisationSector,
    Scheme,
    SchemeCoverage,
    ThematicChallenge,
)
from clusterobs.registry.vocabularies import (
    Breadth,
    ClusterType,
    Density,
    Depth,
    LinkRole,
    OrganisationKind,
    Performance,
    SchemeKind,
    Spread,
)

KEY_FIGURES = ("units", "employment", "turnover", "exports")
DEFAULT_UNITS = {"units": "enterprises", "employment": "persons"}

#: Model fields whose column in a file names the record by its code (a region by its code).
CODED_COLUMNS = {"state": "state_code", "district": "district_code"}


def columns_of(fields: tuple[str, ...]) -> tuple[str, ...]:
    """The file columns of model ``fields``, in order (the exporter writes them in this order)."""
    return tuple(CODED_COLUMNS.get(f, f) for f in fields)


CLUSTER_COLUMNS = {
    "slug",
    *columns_of(CLUSTER_FIELDS),
    "industry_codes",
    *PROVENANCE_FIELDS,
    "figures_year",
    "figures_estimated",
    *KEY_FIGURES,
    *(f"{k}_unit" for k in KEY_FIGURES),
}
ORGANISATION_COLUMNS = {
    "slug",
    *columns_of(ORGANISATION_FIELDS),
    "clusters",
    "cluster_role",
    "sector_codes",
    "sector_code",
    "sector_name",
    *PROFILE_FIELDS,
    *PROVENANCE_FIELDS,
}
ORGANISATION_ALIASES = {
    "org_title": "name",
    "org_id": "external_id",
    "cluster_code": "sector_code",
    "cluster_name": "sector_name",
    "organisation": "name",
    "organization": "name",
}
SCHEME_COLUMNS = {
    "slug",
    *SCHEME_FIELDS,
    "coverage_value",
    "coverage_measure",
    "coverage_unit",
    "coverage_year",
    "coverage_note",
    *PROVENANCE_FIELDS,
}


@dataclass
class ImportOptions:
    """Defaults for columns a file lacks, and what the user explicitly chose to leave out."""

    source: str = ""
    country: str = ""
    kind: str = ""
    sector_classification: str = "USCMP"
    update: bool = False
    ignore_columns: set[str] = field(default_factory=set)


@dataclass
class ImportResult:
    entity: str
    file: str
    created: int = 0
    updated: int = 0
    details: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        extra = "".join(f", {v} {k}" for k, v in self.details.items())
        notes = "".join(f"\nNote: {n}" for n in self.notes)
        return (
            f"{self.file}: {self.created} {self.entity} created, {self.updated} updated"
            f"{extra}{notes}"
        )


def _renamed(table: Table, aliases: dict[str, str]) -> Table:
    if not aliases:
        return table
    columns = [aliases.get(c, c) for c in table.columns]
    rows = [Row(r.number, {aliases.get(k, k): v for k, v in r.cells.items()}) for r in table.rows]
    return Table(table.file, columns, rows)


def _check_columns(table: Table, known: set[str], options: ImportOptions) -> None:
    unknown = [c for c in table.columns if c not in known and c not in options.ignore_columns]
    if unknown:
        raise ImportValidationError(
            [
                RowError(
                    table.file,
                    1,
                    column,
                    "unknown column; rename it, or pass --ignore-column "
                    f"{column} to leave it out on purpose",
                )
                for column in unknown
            ]
        )


def _country(reader: RowReader, options: ImportOptions, *, required: bool = True) -> str:
    value = reader.raw("country").upper() or options.country.upper()
    if not value:
        if required:
            reader.error("country", "is required (or pass --country)")
        return ""
    if not is_known_country(value):
        reader.error("country", f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        return ""
    return value


def _region(reader: RowReader, column: str, country: str, level: str) -> Region | None:
    code = reader.raw(column)
    if not code or not country:
        return None
    region = Region.objects.filter(country=country, level=level, code=code).first()
    if region is None:
        reader.error(
            column,
            f"unknown {level} {code!r} in {country}; import its boundaries first "
            "(clusterobs regions import)",
        )
    return region


def _coordinates(reader: RowReader) -> tuple[float | None, float | None]:
    lat = reader.number("latitude", minimum=-90, maximum=90)
    lon = reader.number("longitude", minimum=-180, maximum=180)
    if (lat is None) != (lon is None) and not (reader.has("latitude") ^ reader.has("longitude")):
        return None, None
    if reader.has("latitude") != reader.has("longitude"):
        reader.error(
            "longitude" if reader.has("latitude") else "latitude",
            "latitude and longitude must be given together",
        )
    return (float(lat) if lat is not None else None, float(lon) if lon is not None else None)


def _provenance(reader: RowReader, options: ImportOptions, file: str) -> dict[str, Any]:
    return {
        "source": reader.text("source", max_length=500) or options.source or f"import of {file}",
        "source_date": reader.date("source_date"),
        "source_detail": reader.text("source_detail"),
        "published": reader.boolean("published", default=True),
    }


def _coded(reader: RowReader, column: str, default: str | None = None) -> list[tuple[str, str]]:
    try:
        pairs = parse_coded_list(reader.raw(column), default)
    except ValueError as exc:
        reader.error(column, str(exc))
        return []
    valid = []
    for classification, code in pairs:
        problem = code_error(classification, code)
        if problem:
            reader.error(column, problem)
        else:
            valid.append((classification, code))
    if len(set(valid)) != len(valid):
        reader.error(column, "lists the same code twice")
    return valid


def _existing(model: type, slug: str, options: ImportOptions, reader: RowReader) -> Any:
    instance = model.objects.filter(slug=slug).first()
    if instance is not None and not options.update:
        reader.error(
            "name",
            f"a {model._meta.verbose_name} {instance.name!r} already exists "
            "(pass --update to update existing records)",
        )
    return instance


# ---------------------------------------------------------------- clusters


@dataclass
class _ClusterRow:
    row: int
    fields: dict[str, Any]
    challenges: list[str] | None
    codes: list[tuple[str, str]]
    figures: list[dict[str, Any]]
    existing: Cluster | None


def _validate_cluster(reader: RowReader, options: ImportOptions, file: str) -> _ClusterRow:
    product = reader.text("product", required=True, max_length=300)
    place = reader.text("place", max_length=200)
    name = reader.text("name", max_length=300)
    if not name and product:
        name = f"{product} cluster, {place}" if place else f"{product} cluster"
    country = _country(reader, options)
    lat, lon = _coordinates(reader)
    known = set(ThematicChallenge.objects.values_list("key", flat=True))
    challenges = None
    if reader.has("thematic_challenges"):
        challenges = [slugify(k) for k in reader.items("thematic_challenges")]
        for key in challenges:
            if key not in known:
                reader.error("thematic_challenges", f"unknown challenge {key!r}")
    figures = []
    year = reader.year("figures_year")
    as_estimate = reader.boolean("figures_estimated", default=False)
    for indicator in KEY_FIGURES:
        value = reader.number(indicator, minimum=0)
        if value is None:
            continue
        unit = reader.text(f"{indicator}_unit") or DEFAULT_UNITS.get(indicator, "")
        if not unit:
            reader.error(f"{indicator}_unit", f"is required when {indicator} is given")
        if year is None:
            reader.error("figures_year", f"is required when {indicator} is given")
        figures.append(
            {
                "indicator": indicator,
                "value": value,
                "unit": unit,
                "year": year,
                "estimated": as_estimate,
            }
        )
    slug = reader.text("slug") or slugify(name)[:300]
    fields = {
        "name": name,
        "product": product,
        "place": place,
        "country": country,
        "state": _region(reader, "state_code", country, "state"),
        "district": _region(reader, "district_code", country, "district"),
        "latitude": lat,
        "longitude": lon,
        "location_precision": reader.text("location_precision", max_length=20),
        "cluster_type": reader.choice("cluster_type", ClusterType.values),
        "spread": reader.choice("spread", Spread.values),
        "density": reader.choice("density", Density.values),
        "breadth": reader.choice("breadth", Breadth.values),
        "depth": reader.choice("depth", Depth.values),
        "performance": reader.choice("performance", Performance.values),
        "description": reader.text("description"),
        "slug": slug,
        **_provenance(reader, options, file),
    }
    return _ClusterRow(
        reader.row.number,
        fields,
        challenges,
        _coded(reader, "industry_codes"),
        figures,
        _existing(Cluster, slug, options, reader) if slug else None,
    )


def import_clusters(
    path: str | Path, *, options: ImportOptions | None = None, user: AbstractBaseUser | None = None
) -> ImportResult:
    options = options or ImportOptions()
    table = read_table(path)
    _check_columns(table, CLUSTER_COLUMNS, options)
    errors: list[RowError] = []
    parsed: list[_ClusterRow] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        reader = RowReader(table.file, row, errors)
        item = _validate_cluster(reader, options, table.file)
        slug = item.fields["slug"]
        if slug in seen:
            reader.error("name", f"duplicate of row {seen[slug]} (same name/slug {slug!r})")
        seen[slug] = row.number
        parsed.append(item)
    if errors:
        raise ImportValidationError(errors)
    result = ImportResult("clusters", table.file)
    with transaction.atomic():
        for item in parsed:
            _write_cluster(item, user, result)
    return result


def _write_cluster(item: _ClusterRow, user: AbstractBaseUser | None, result: ImportResult) -> None:
    if item.existing is not None:
        changes = dict(item.fields)
        if item.challenges is not None:
            changes["thematic_challenges"] = list(
                ThematicChallenge.objects.filter(key__in=item.challenges)
            )
        cluster = services.update_record(
            item.existing, user=user, expected_version=item.existing.version, changes=changes
        )
        result.updated += 1
    else:
        cluster = services.create_cluster(
            user=user, thematic_challenges=item.challenges, **item.fields
        )
        result.created += 1
    services.add_industry_codes(cluster, codes=item.codes)
    for figure in item.figures:
        services.add_key_figure(cluster, user=user, source=cluster.source, **figure)
        result.details["key figures"] = result.details.get("key figures", 0) + 1


# ---------------------------------------------------------------- organisations


@dataclass
class _OrgGroup:
    """All rows of one organisation (long files repeat an organisation once per sector)."""

    rows: list[int]
    fields: dict[str, Any]
    profile: dict[str, Any]
    sectors: list[tuple[str, str, str]]
    clusters: list[tuple[Cluster, str]]
    existing: Organisation | None


def _validate_org_row(
    reader: RowReader, options: ImportOptions, file: str
) -> tuple[dict, dict, list, list]:
    name = reader.text("name", required=True, max_length=300)
    kind_default = options.kind
    kind = reader.choice("kind", OrganisationKind.values) or kind_default
    if not kind and not reader.has("kind"):
        reader.error("kind", "is required (or pass --kind)")
    elif kind and kind not in OrganisationKind.values:
        reader.error("kind", f"{kind!r} is not a known kind")
    country = _country(reader, options, required=False)
    lat, lon = _coordinates(reader)
    fields = {
        "name": name,
        "kind": kind,
        "external_id": reader.text("external_id", max_length=100),
        "country": country,
        "state": _region(reader, "state_code", country, "state"),
        "city": reader.text("city", max_length=200),
        "latitude": lat,
        "longitude": lon,
        "website": reader.url("website"),
        "description": reader.text("description"),
        "slug": reader.text("slug") or slugify(name)[:300],
        **_provenance(reader, options, file),
    }
    profile: dict[str, Any] = {}
    for column in PROFILE_MEMBER_FIELDS:
        value = reader.integer(column, minimum=0)
        if value is not None:
            profile[column] = value
    fte = reader.number("management_fte", minimum=0)
    if fte is not None:
        profile["management_fte"] = fte
    founded = reader.year("founding_year")
    if founded is not None:
        if founded > dt.date.today().year:
            reader.error("founding_year", f"{founded} is in the future")
        profile["founding_year"] = founded
    for column in PROFILE_LIST_FIELDS:
        if reader.has(column):
            profile[column] = reader.items(column)
    sectors = [(c, code, "") for c, code in _coded(reader, "sector_codes")]
    if reader.has("sector_code"):
        classification = options.sector_classification.upper()
        code = reader.raw("sector_code")
        problem = code_error(classification, code)
        if problem:
            reader.error("sector_code", problem)
        else:
            sectors.append((classification, code, reader.text("sector_name", max_length=300)))
    elif reader.has("sector_name"):
        reader.error("sector_code", "is required when sector_name is given")
    clusters = []
    role = reader.choice("cluster_role", LinkRole.values) or (
        kind if kind in LinkRole.values else "other"
    )
    for slug in reader.items("clusters"):
        cluster = Cluster.objects.filter(slug=slugify(slug)).first()
        if cluster is None:
            reader.error("clusters", f"unknown cluster {slug!r} (give its slug)")
        else:
            clusters.append((cluster, role))
    return fields, profile, sectors, clusters


def import_organisations(
    path: str | Path, *, options: ImportOptions | None = None, user: AbstractBaseUser | None = None
) -> ImportResult:
    options = options or ImportOptions()
    table = _renamed(read_table(path), ORGANISATION_ALIASES)
    _check_columns(table, ORGANISATION_COLUMNS, options)
    errors: list[RowError] = []
    groups: dict[str, _OrgGroup] = {}
    slug_owner: dict[str, str] = {}
    shared_names: list[str] = []
    for row in table.rows:
        reader = RowReader(table.file, row, errors)
        fields, profile, sectors, clusters = _validate_org_row(reader, options, table.file)
        key = fields["external_id"] or fields["slug"]
        group = groups.get(key)
        if group is None:
            if fields["slug"] in slug_owner and slug_owner[fields["slug"]] != key:
                if not fields["external_id"]:
                    reader.error("name", f"another organisation here is named {fields['name']!r}")
                else:
                    # Same name, different source ids: the source lists two records, so do we,
                    # told apart by their id (and reported in the result).
                    fields["slug"] = f"{fields['slug']}-{slugify(fields['external_id'])}"
                    shared_names.append(f"{fields['name']} (id {fields['external_id']})")
            slug_owner[fields["slug"]] = key
            groups[key] = _OrgGroup(
                [row.number],
                fields,
                profile,
                sectors,
                clusters,
                _existing(Organisation, fields["slug"], options, reader),
            )
            continue
        group.rows.append(row.number)
        for column, value in fields.items():
            if column in {"source", "source_date", "source_detail", "published"}:
                continue
            if value != group.fields[column] and value not in ("", None):
                reader.error(
                    column,
                    f"differs from row {group.rows[0]} of the same organisation "
                    f"({value!r} vs {group.fields[column]!r})",
                )
        group.profile.update(profile)
        for sector in sectors:
            if any(s[:2] == sector[:2] for s in group.sectors):
                reader.error(
                    "sector_code",
                    f"duplicate: {sector[0]} {sector[1]} is already "
                    f"given for this organisation in row {group.rows[0]}",
                )
            else:
                group.sectors.append(sector)
        for link in clusters:
            if link in group.clusters:
                reader.error("clusters", f"duplicate link to {link[0].slug}")
            else:
                group.clusters.append(link)
    if errors:
        raise ImportValidationError(errors)
    notes = []
    if shared_names:
        notes.append(
            "same name under several source ids, imported as separate records: "
            + "; ".join(shared_names)
        )
    result = ImportResult("organisations", table.file, notes=notes)
    with transaction.atomic():
        for group in groups.values():
            _write_organisation(group, user, result)
    return result


def _write_organisation(
    group: _OrgGroup, user: AbstractBaseUser | None, result: ImportResult
) -> None:
    if group.existing is not None:
        org = services.update_record(
            group.existing,
            user=user,
            expected_version=group.existing.version,
            changes=dict(group.fields),
        )
        result.updated += 1
    else:
        org = services.create_record(Organisation, user=user, **group.fields)
        result.created += 1
    if group.profile or org.kind == OrganisationKind.CLUSTER_ORGANISATION:
        profile, _ = OrganisationProfile.objects.get_or_create(organisation=org)
        for column, value in group.profile.items():
            setattr(profile, column, value)
        profile.save()
    for classification, code, title in group.sectors:
        OrganisationSector.objects.update_or_create(
            organisation=org,
            classification=classification,
            code=code,
            defaults={"title": title},
        )
        result.details["sector tags"] = result.details.get("sector tags", 0) + 1
    for cluster, role in group.clusters:
        ClusterLink.objects.get_or_create(cluster=cluster, organisation=org, role=role)


# ---------------------------------------------------------------- schemes


def import_schemes(
    path: str | Path, *, options: ImportOptions | None = None, user: AbstractBaseUser | None = None
) -> ImportResult:
    options = options or ImportOptions()
    table = read_table(path)
    _check_columns(table, SCHEME_COLUMNS, options)
    errors: list[RowError] = []
    parsed = []
    seen: dict[str, int] = {}
    for row in table.rows:
        reader = RowReader(table.file, row, errors)
        name = reader.text("name", required=True, max_length=300)
        slug = reader.text("slug") or slugify(name)[:300]
        if slug in seen:
            reader.error("name", f"duplicate of row {seen[slug]}")
        seen[slug] = row.number
        fields = {
            "name": name,
            "slug": slug,
            "acronym": reader.text("acronym", max_length=40),
            "kind": reader.choice("kind", SchemeKind.values, required=True),
            "institution": reader.text("institution", required=True, max_length=300),
            "country": _country(reader, options),
            "focus_areas": reader.items("focus_areas"),
            "description": reader.text("description"),
            "url": reader.url("url"),
            **_provenance(reader, options, table.file),
        }
        clusters = []
        for cluster_slug in reader.items("clusters"):
            cluster = Cluster.objects.filter(slug=slugify(cluster_slug)).first()
            if cluster is None:
                reader.error("clusters", f"unknown cluster {cluster_slug!r}")
            else:
                clusters.append(cluster)
        coverage = None
        value = reader.number("coverage_value", minimum=0)
        if value is not None:
            coverage = {
                "value": value,
                "measure": reader.text("coverage_measure") or "clusters covered",
                "unit": reader.text("coverage_unit") or "clusters",
                "year": reader.year("coverage_year"),
                "note": reader.text("coverage_note"),
            }
        existing = _existing(Scheme, slug, options, reader)
        parsed.append((fields, clusters, coverage, existing))
    if errors:
        raise ImportValidationError(errors)
    result = ImportResult("schemes", table.file)
    with transaction.atomic():
        for fields, clusters, coverage, existing in parsed:
            if existing is not None:
                scheme = services.update_record(
                    existing, user=user, expected_version=existing.version, changes=fields
                )
                result.updated += 1
            else:
                scheme = services.create_record(Scheme, user=user, **fields)
                result.created += 1
            if clusters:
                scheme.clusters.add(*clusters)
            if coverage:
                SchemeCoverage.objects.create(scheme=scheme, source=scheme.source, **coverage)
    return result


IMPORTERS = {
    "clusters": import_clusters,
    "organisations": import_organisations,
    "schemes": import_schemes,
}
