"""``clusterobs classifications``: import official code lists and concordances (no Django)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clusterobs.cli.errors import exits_on_error

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False)
console = Console()


@app.command("import")
@exits_on_error
def import_(
    source: Annotated[Path, typer.Option(help="Folder with the official classification files.")],
    naics1997: Annotated[Path | None, typer.Option(help="NAICS 1997 code list (code,title).")] = (
        None
    ),
    naics1997_to_2002: Annotated[
        Path | None, typer.Option(help="NAICS 1997 -> 2002 concordance (two code columns).")
    ] = None,
    nic2008: Annotated[Path | None, typer.Option(help="NIC 2008 code list (code,title).")] = None,
) -> None:
    """Store classifications as Parquet under the data directory."""
    from clusterobs.classifications.store import import_classifications
    from clusterobs.config import load_config

    if not source.is_dir():
        raise FileNotFoundError(f"{source}: not a folder")
    dest = load_config().data_dir / "classifications"
    counts = import_classifications(
        source, dest, naics1997=naics1997, naics1997_to_2002=naics1997_to_2002, nic2008=nic2008
    )
    table = Table("classification", "codes")
    for name, n in sorted(counts.items()):
        table.add_row(name, f"{n:,}")
    console.print(table)
    console.print(f"Stored in {dest}")


@app.command("list")
@exits_on_error
def list_() -> None:
    """List imported classifications and their crosswalks."""
    from clusterobs.classifications.store import ClassificationStore

    store = ClassificationStore.load()
    table = Table("classification", "codes", "detailed codes")
    for name in store.names():
        c = store.codes[store.codes["classification"] == name]
        table.add_row(name, f"{len(c):,}", f"{int(c['detailed'].sum()):,}")
    console.print(table)
    xw = store.crosswalks.groupby(["from_classification", "to_classification"]).size()
    for (a, b), n in xw.items():
        console.print(f"{a} -> {b}: {n:,} links")
