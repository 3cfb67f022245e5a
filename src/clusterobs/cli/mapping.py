"""``clusterobs mapping``: build cluster statistics from employment data (no Django)."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False)
console = Console(stderr=True)
P = ParamSpec("P")
R = TypeVar("R")


def exits_on_error(func: Callable[P, R]) -> Callable[P, R]:
    """Report bad input (file, row, field) without a traceback; exit code 1; nothing written."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (ValueError, FileNotFoundError, KeyError) as exc:
            console.print(f"[bold red]Error, nothing was written:[/] {exc}")
            raise typer.Exit(1) from exc

    return wrapper


def _years(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    parts = text.split("-")
    try:
        if len(parts) == 1:
            return int(parts[0]), int(parts[0])
        if len(parts) == 2:
            return int(parts[0]), int(parts[1])
    except ValueError:
        pass
    raise ValueError(f"--years must look like 2008-2011, got {text!r}")


@app.command()
@exits_on_error
def build(
    employment: Annotated[Path, typer.Option(help="Employment file (CSV, CSV.gz or Parquet).")],
    definitions: Annotated[Path, typer.Option(help="Cluster definition CSV.")],
    classification: Annotated[str, typer.Option(help="Classification of the definitions.")],
    out: Annotated[Path, typer.Option(help="Output directory.")],
    format: Annotated[str, typer.Option(help="cbp or long.")] = "cbp",
    definitions_format: Annotated[
        str, typer.Option(help="canonical, uscmp_web, uscmp_emsi or auto.")
    ] = "auto",
    years: Annotated[str | None, typer.Option(help="Year range, e.g. 2008-2011.")] = None,
    engine: Annotated[str, typer.Option(help="duckdb or spark.")] = "duckdb",
    imputation: Annotated[str, typer.Option(help="midpoint or constrained.")] = "midpoint",
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
    name: Annotated[
        str | None, typer.Option(help="Name in the platform's result store (default: out name).")
    ] = None,
    publish: Annotated[bool, typer.Option(help="Also load into the platform's store.")] = True,
    data_classification: Annotated[
        str | None, typer.Option(help="long format: classification of the data codes.")
    ] = None,
    region_col: str = "region",
    industry_col: str = "industry",
    year_col: str = "year",
    employment_col: str = "employment",
    establishments_col: str | None = None,
    payroll_col: str | None = None,
    flag_col: str | None = None,
    region_type_col: str | None = None,
    vintage_col: str | None = None,
    region_type: str = "region",
    total_code: str | None = None,
) -> None:
    """Compute every U.S. Cluster Mapping and European Cluster Observatory statistic."""
    from clusterobs.classifications.store import ClassificationStore
    from clusterobs.config import load_config
    from clusterobs.definitions.model import load_definition
    from clusterobs.mapping import output, pipeline
    from clusterobs.mapping.engine import connect
    from clusterobs.mapping.inputs import bundle_inputs
    from clusterobs.sources import cbp, generic
    from clusterobs.sources.regions import read_regions, us_states

    started = time.perf_counter()
    if engine not in ("duckdb", "spark"):
        raise ValueError("--engine must be duckdb or spark")
    if format not in ("cbp", "long"):
        raise ValueError("--format must be cbp or long")
    if imputation not in ("midpoint", "constrained"):
        raise ValueError("--imputation must be midpoint or constrained")
    if split_rule not in ("equal", "proportional"):
        raise ValueError("--split-rule must be equal or proportional")
    config = load_config()
    definition = load_definition(definitions, classification, format=definitions_format)
    try:
        store = ClassificationStore.load(config.data_dir / "classifications")
    except FileNotFoundError:
        if format == "cbp":
            raise
        store = ClassificationStore.empty()
    region_table = read_regions(regions) if regions else (us_states() if format == "cbp" else None)
    steps = ["read", *pipeline.STEPS, "write"]
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task("read", total=len(steps))

        def advance(step: str) -> None:
            if step in steps:
                progress.update(task, description=step, completed=steps.index(step))

        eng = connect(engine)  # type: ignore[arg-type]
        if format == "cbp":
            source = cbp.read_cbp(eng, employment)
        else:
            cols = generic.LongColumns(
                region=region_col,
                industry=industry_col,
                year=year_col,
                employment=employment_col,
                establishments=establishments_col,
                payroll=payroll_col,
                flag=flag_col,
                region_type=region_type_col,
                vintage=vintage_col,
            )
            source = generic.read_long(
                eng,
                employment,
                columns=cols,
                vintage=data_classification or classification,
                region_type=region_type,
                total_code=total_code,
            )
        result = pipeline.build(
            source,
            definition,
            engine=eng,
            store=store,
            regions=region_table,
            options=pipeline.MappingOptions(
                imputation=imputation,  # type: ignore[arg-type]
                split_rule=split_rule,  # type: ignore[arg-type]
                years=_years(years),
                esteban_marquillas=esteban_marquillas,
                subclusters=subclusters,
            ),
            relatedness=relatedness,
            progress=advance,
        )
        advance("write")
        result.manifest["inputs"] = {
            "employment": str(employment),
            "format": format,
            "definitions": str(definitions),
            "regions": str(regions)
            if regions
            else ("built-in U.S. states" if format == "cbp" else None),
            "relatedness": str(relatedness) if relatedness else None,
        }
        result.manifest["timings_seconds"]["total"] = round(time.perf_counter() - started, 3)
        written = output.write_result(result, out)
        # The result keeps its own copies of the inputs (see mapping/inputs.py).
        manifest = json.loads((written / "manifest.json").read_text())
        manifest["inputs"] = bundle_inputs(written, result.manifest["inputs"])
        (written / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str))
        result.manifest["inputs"] = manifest["inputs"]
        target = None
        if publish:
            target = output.publish(written, config.results_dir, name or Path(out).name)
        progress.update(task, description="done", completed=len(steps))
    m = result.manifest
    console.print(
        f"Wrote {written} ({m['rows']['cluster_region_year']:,} cluster-region-year rows, "
        f"{m['unknown_industry_codes']['count']} unknown industry codes, "
        f"{m['unknown_region_codes']['count']} unknown region codes) in "
        f"{m['timings_seconds']['total']} s" + (f"; published as {target.name}" if target else "")
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
    from clusterobs.sources.cbp_download import LEVELS, download_cbp, parse_years

    if level not in LEVELS:
        raise ValueError(f"--level must be one of {', '.join(LEVELS)}")
    wanted = parse_years(years)
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

        files = download_cbp(
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
