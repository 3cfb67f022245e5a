"""``clusterobs import`` and ``clusterobs export`` for clusters, organisations and schemes."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from clusterobs.cli.django_setup import setup_django
from clusterobs.cli.errors import reports_errors

console = Console(stderr=True)


class Entity(StrEnum):
    clusters = "clusters"
    organisations = "organisations"
    schemes = "schemes"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    geojson = "geojson"


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("export")(export_command)


@reports_errors
def import_command(
    entity: Annotated[Entity, typer.Argument(help="What the file holds")],
    file: Annotated[Path, typer.Argument(help="CSV, XLSX or JSON file")],
    source: Annotated[str, typer.Option(help="Provenance for rows without a source")] = "",
    country: Annotated[str, typer.Option(help="Country for rows without one")] = "",
    kind: Annotated[str, typer.Option(help="Organisation kind for rows without one")] = "",
    sector_classification: Annotated[
        str, typer.Option(help="Classification of a sector_code column")
    ] = "USCMP",
    update: Annotated[bool, typer.Option(help="Update records that already exist")] = False,
    ignore_column: Annotated[
        list[str] | None, typer.Option(help="Column to leave out on purpose (repeatable)")
    ] = None,
) -> None:
    """Import records; the whole file is refused if any row is invalid."""
    setup_django()
    from clusterobs.registry.importers import IMPORTERS, ImportOptions

    options = ImportOptions(
        source=source,
        country=country,
        kind=kind,
        sector_classification=sector_classification,
        update=update,
        ignore_columns=set(ignore_column or []),
    )
    result = IMPORTERS[entity.value](file, options=options)
    console.print(str(result))


@reports_errors
def export_command(
    entity: Annotated[Entity, typer.Argument(help="What to export")],
    format: Annotated[ExportFormat, typer.Option("--format", help="Output format")] = (
        ExportFormat.csv
    ),
    out: Annotated[Path | None, typer.Option(help="Output file (default: standard output)")] = None,
    include_unpublished: Annotated[bool, typer.Option(help="Also unpublished records")] = False,
) -> None:
    """Export records as CSV, JSON or GeoJSON."""
    setup_django()
    from clusterobs.registry.exporters import export

    text = export(entity.value, format.value, include_unpublished=include_unpublished)
    if out is None:
        sys.stdout.write(text)
    else:
        tmp = out.with_name(out.name + ".partial")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
        console.print(f"Wrote {out}")
