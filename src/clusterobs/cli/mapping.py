"""``clusterobs mapping``: build cluster statistics from employment data (no Django)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from clusterobs.cli.errors import exits_on_error
from clusterobs.cli.source_options import (
    COLUMNS_HELP,
    FORMAT_HELP,
    MEASURE_HELP,
    parse_years,
    source_spec,
)
from clusterobs.config import load_config
from clusterobs.definitions.reader import load_definition
from clusterobs.mapping import pipeline, service
from clusterobs.mapping.result import MappingOptions
from clusterobs.sources import cbp_download

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False)
console = Console(stderr=True)


def _choice(value: str, option: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{option} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _progress_bar(steps: list[str]) -> tuple[Progress, Callable[[str], None]]:
    """A progress bar over the build's steps and the callback that advances it."""
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
    )
    task = progress.add_task("read", total=len(steps))

    def advance(step: str) -> None:
        if step in steps:
            progress.update(task, description=step, completed=steps.index(step))

    return progress, advance


@app.command()
@exits_on_error
def build(
    employment: Annotated[Path, typer.Option(help="Employment file (CSV, CSV.gz or Parquet).")],
    definitions: Annotated[Path, typer.Option(help="Cluster definition CSV.")],
    classification: Annotated[str, typer.Option(help="Classification of the definitions.")],
    out: Annotated[Path, typer.Option(help="Output directory.")],
    format: Annotated[str, typer.Option(help=FORMAT_HELP)] = "cbp",
    definitions_format: Annotated[
        str, typer.Option(help="canonical, uscmp_web, uscmp_emsi or auto.")
    ] = "auto",
    years: Annotated[str | None, typer.Option(help="Year range, e.g. 2008-2011.")] = None,
    engine: Annotated[str, typer.Option(help="duckdb or spark.")] = "duckdb",
    imputation: Annotated[
        str, typer.Option(help="midpoint, constrained or source (the source's own estimates).")
    ] = "midpoint",
    split_rule: Annotated[str, typer.Option(help="Crosswalk split: equal or proportional.")] = (
        "equal"
    ),
    regions: Annotated[Path | None, typer.Option(help="Region table code,name,type,parent.")] = (
        None
    ),
    relatedness: Annotated[
        Path | None, typer.Option(help="U.S. Cluster Mapping cluster relatedness CSV.")
    ] = None,
    esteban_marquillas: Annotated[bool, typer.Option(help="Add Esteban-Marquillas terms.")] = (
        False
    ),
    subclusters: Annotated[bool, typer.Option(help="Also compute sub-cluster rows.")] = True,
    complexity: Annotated[
        bool, typer.Option(help="Also write ECI, PCI and relatedness density of the clusters.")
    ] = False,
    allow_unknown_codes: Annotated[
        bool, typer.Option(help="Go on when definition codes are unknown or unreachable.")
    ] = False,
    name: Annotated[
        str | None, typer.Option(help="Name in the platform's result store (default: out name).")
    ] = None,
    publish: Annotated[bool, typer.Option(help="Also load into the platform's store.")] = True,
    data_classification: Annotated[
        str | None, typer.Option(help="long format: classification of the data codes.")
    ] = None,
    columns: Annotated[str | None, typer.Option(help=COLUMNS_HELP)] = None,
    measure: Annotated[str, typer.Option(help=MEASURE_HELP)] = "total",
    region_type: str = "region",
    total_code: str | None = None,
) -> None:
    """Compute every U.S. Cluster Mapping and European Cluster Observatory statistic."""
    config = load_config()
    source = source_spec(
        employment, format, columns=columns, classification=data_classification or classification,
        region_type=region_type, total_code=total_code, measure=measure,
    )  # fmt: skip
    options = MappingOptions(
        _choice(imputation, "--imputation", ("midpoint", "constrained", "source")),  # type: ignore[arg-type]
        _choice(split_rule, "--split-rule", ("equal", "proportional")),  # type: ignore[arg-type]
        parse_years(years), esteban_marquillas, subclusters,
        allow_unknown_codes=allow_unknown_codes,
    )  # fmt: skip
    request = service.BuildRequest(
        source=source,
        definition=load_definition(definitions, classification, format=definitions_format),
        options=options,
        definitions_path=definitions,
        regions_path=regions,
        relatedness_path=relatedness,
        classifications_dir=config.data_dir / "classifications",
        engine=_choice(engine, "--engine", ("duckdb", "spark")),  # type: ignore[arg-type]
    )
    steps = ["read", *pipeline.STEPS, "write", *(["complexity"] if complexity else [])]
    bar, advance = _progress_bar(steps)
    publish_to = (config.results_dir, name or Path(out).name) if publish else None
    finish = _add_complexity if complexity else None
    with bar:
        done = service.build_result(
            request, out, publish_to=publish_to, progress=advance, finish=finish
        )
        advance(steps[-1])
    _report(done)


def _add_complexity(written: Path) -> None:
    """The cluster-level complexity files, added before the result is published."""
    from clusterobs.complexity.outputs import write_complexity

    write_complexity(written, level="cluster")


def _report(done: service.BuildOutcome) -> None:
    m = done.result.manifest
    target = done.published
    for warning in service.warnings(m):
        console.print("Warning: ", style="bold yellow", end="")
        console.print(warning, markup=False, highlight=False)
    console.print(
        f"Wrote {done.written} ({m['rows']['cluster_region_year']:,} cluster-region-year rows, "
        f"{m['unknown_industry_codes']['count']} unknown industry codes, "
        f"{m['unknown_region_codes']['count']} unknown region codes) in "
        f"{m['timings_seconds']['total']} s" + (f"; published as {target.name}" if target else ""),
        markup=False,
    )


@app.command()
@exits_on_error
def show(out: Annotated[Path, typer.Argument(help="A result directory.")]) -> None:
    """Print the manifest of a result."""
    typer.echo(json.dumps(json.loads((out / "manifest.json").read_text()), indent=2))


@app.command("download-cbp")
@exits_on_error
def download_cbp(
    years: Annotated[str, typer.Option(help="Years, e.g. 2008-2011 or 2008,2010.")],
    out: Annotated[Path, typer.Option(help="Directory for the files and manifest.json.")],
    level: Annotated[str, typer.Option(help="state, county or msa.")] = "state",
    base_url: Annotated[
        str, typer.Option(help="Where the files are published (a mirror, if any).")
    ] = "https://www2.census.gov/programs-surveys/cbp/datasets",
    extract: Annotated[bool, typer.Option(help="Unpack the .txt data file.")] = True,
    force: Annotated[bool, typer.Option(help="Download even if already complete.")] = False,
    timeout: Annotated[float, typer.Option(help="Network timeout in seconds.")] = 60.0,
) -> None:
    """Fetch County Business Patterns files from the Census Bureau (needs internet access).

    Resumable (rerun after an interruption); SHA-256 of every file in OUT/manifest.json.
    """
    if level not in cbp_download.LEVELS:
        raise ValueError(f"--level must be one of {', '.join(cbp_download.LEVELS)}")
    wanted = cbp_download.parse_years(years)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f} bytes"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        tasks: dict[str, int] = {}

        def report(name: str, got: int, total: int | None) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(name, total=total)
            progress.update(tasks[name], completed=got, total=total)

        files = cbp_download.download_cbp(
            wanted,
            level,  # type: ignore[arg-type]
            out,
            base_url=base_url,
            extract=extract,
            force=force,
            timeout=timeout,
            progress=report,
        )
    for f in files:
        console.print(f"{f.file}  {f.bytes:>12,} bytes  sha256 {f.sha256}")
    console.print(f"{len(files)} file(s) in {out}; checksums in {out / 'manifest.json'}")
