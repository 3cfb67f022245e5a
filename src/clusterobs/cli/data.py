"""``clusterobs data``: the real data embedded in the package, with sources and licences."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from clusterobs.data.catalog import CATALOG, DATA_DIR
from clusterobs.data.catalog import path as data_path
from clusterobs.mapping.embedded import OBSERVATORIES

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False)
console = Console()


@app.command("list")
def list_() -> None:
    """List the embedded data files and the observatories ``clusterobs init`` publishes."""
    table = Table("key", "title", "size", "source", "licence", title="Embedded data")
    for entry in CATALOG:
        table.add_row(
            entry.key, entry.title, f"{entry.size / 1e6:.2f} MB", entry.source, entry.licence
        )
    console.print(table)
    total = sum(e.size for e in CATALOG)
    console.print(f"{len(CATALOG)} files, {total / 1e6:.1f} MB; SOURCE notes under {DATA_DIR}")
    for obs in OBSERVATORIES:
        console.print(f"Observatory {obs.name}: {obs.title}", markup=False)


@app.command("path")
def path_(key: str = typer.Argument(help="A key of `clusterobs data list`.")) -> None:
    """Print the path of an embedded file (for other commands: "$(clusterobs data path KEY)")."""
    try:
        print(data_path(key))
    except KeyError as exc:
        console.print(f"Error: {exc.args[0]}", markup=False, style="red")
        raise typer.Exit(1) from exc
