"""``clusterobs complexity``: economic complexity, relatedness density, opportunities (no Django).

``build`` reads an employment file (any ``--format`` of :data:`clusterobs.complexity.inputs.
READERS`) and writes the complexity files with a manifest into ``--out``; ``add`` adds them to
a published mapping result so that the observatory shows them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from clusterobs.cli.errors import reports_errors
from clusterobs.cli.source_options import (
    COLUMNS_HELP,
    FORMAT_HELP,
    MEASURE_HELP,
    parse_years,
    source_spec,
)

if TYPE_CHECKING:  # the engine, pandas and SciPy load when a command runs, not for every command
    import pandas as pd

    from clusterobs.complexity.inputs import EmploymentPanel
    from clusterobs.sources.readers import SourceSpec

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False)
console = Console(stderr=True)


def _titles(classification: str):
    """Industry titles of a classification vintage from the platform's classification store."""
    from clusterobs.classifications.store import ClassificationStore

    try:
        store = ClassificationStore.load()
    except FileNotFoundError:
        return None

    def titles(vintage: str) -> dict[str, str]:
        name = classification if vintage in ("UNKNOWN", "") else vintage
        c = store.codes[store.codes["classification"] == name]
        return dict(zip(c["code"].astype(str), c["title"].astype(str), strict=True))

    return titles


def _options(
    threshold: float,
    fitness: bool,
    neighbours: int,
    relatedness: Path | None,
    relatedness_weights: str,
    clusters=None,
):
    from clusterobs.complexity.compute import ComplexityOptions
    from clusterobs.complexity.proximity import read_proximity_table, uscmp_relatedness

    table, described = None, "data (Hidalgo et al. 2007: minimum of conditional probabilities)"
    if relatedness is not None:
        if not relatedness.exists():
            raise FileNotFoundError(f"{relatedness}: no such file")
        header = relatedness.read_text(errors="replace").splitlines()[0]
        if "cluster_code_2" in header and "cr_all_pc" in header:
            table, code_map = uscmp_relatedness(
                relatedness,
                clusters=clusters,
                weights=relatedness_weights,  # type: ignore[arg-type]
            )
            described = (
                f"U.S. Cluster Mapping relatedness {relatedness.name} (weights "
                f"{relatedness_weights}; {len(code_map)} clusters matched"
                + (" by name)" if clusters is not None else " by code)")
            )
        else:
            table = read_proximity_table(relatedness)
            described = f"table {relatedness.name}"
    return ComplexityOptions(
        threshold=threshold,
        fitness=fitness,
        neighbours=neighbours,
        proximity_table=table,
        proximity_source=described,
    )


@app.command()
@reports_errors
def build(
    employment: Annotated[Path, typer.Option(help="Employment file (CSV, CSV.gz or Parquet).")],
    classification: Annotated[str, typer.Option(help="Classification of the industry codes.")],
    out: Annotated[Path, typer.Option(help="Output directory.")],
    format: Annotated[str, typer.Option(help=FORMAT_HELP)] = "cbp",
    level: Annotated[str, typer.Option(help="industry (detailed codes) or cluster.")] = (
        "industry"
    ),
    definitions: Annotated[
        Path | None, typer.Option(help="Cluster definition (needed for --level cluster).")
    ] = None,
    definitions_format: Annotated[
        str, typer.Option(help="canonical, uscmp_web, uscmp_emsi or auto.")
    ] = "auto",
    years: Annotated[str | None, typer.Option(help="Year range, e.g. 2008-2011.")] = None,
    presence: Annotated[str, typer.Option(help="Presence test (rca).")] = "rca",
    threshold: Annotated[float, typer.Option(help="M = 1 where RCA >= threshold.")] = 1.0,
    imputation: Annotated[
        str, typer.Option(help="midpoint, constrained or source (the source's own estimates).")
    ] = "midpoint",
    relatedness: Annotated[
        Path | None,
        typer.Option(
            help="Proximity table (industry_code,related_industry_code,proximity) or "
            "the U.S. Cluster Mapping cluster relatedness CSV; default: from the data."
        ),
    ] = None,
    relatedness_weights: Annotated[
        str, typer.Option(help="U.S. Cluster Mapping table: related (0/1) or percentile.")
    ] = "related",
    fitness: Annotated[bool, typer.Option(help="Also compute fitness and complexity.")] = False,
    missing: Annotated[
        str,
        typer.Option(
            help="A cell with neither value nor suppression class: error or drop-industry."
        ),
    ] = "error",
    absent: Annotated[
        str | None, typer.Option(help="Unlisted cells: zero or error (default: the format's).")
    ] = None,
    industry_length: Annotated[
        int | None, typer.Option(help="Detailed level: codes of this many characters.")
    ] = None,
    neighbours: Annotated[int, typer.Option(help="Closest industries kept per industry.")] = 25,
    columns: Annotated[str | None, typer.Option(help=COLUMNS_HELP)] = None,
    measure: Annotated[str, typer.Option(help=MEASURE_HELP)] = "total",
    region_type: str = "region",
    total_code: str | None = None,
) -> None:
    """Compute RCA, ECI/PCI, proximity, relatedness density, COI and COG for every year."""
    started = time.perf_counter()
    _check_choices(presence, level, imputation, missing, absent, threshold)
    spec = source_spec(
        employment, format, columns=columns, classification=classification,
        region_type=region_type, total_code=total_code, measure=measure,
    )  # fmt: skip
    build_options = BuildOptions(
        level, definitions, definitions_format, imputation, years, missing, industry_length
    )
    panel, clusters = _panel(spec, build_options)
    options = _options(threshold, fitness, neighbours, relatedness, relatedness_weights, clusters)
    absent_note = _absent_note(panel, format, level, absent)
    from clusterobs.complexity import outputs  # SciPy and the engine: only when a build runs

    console.print("Computing complexity")
    result = outputs.compute_panel(panel, options)
    inputs = {"employment": str(employment), "format": format, "classification": classification,
              "definitions": str(definitions) if definitions else None,
              "relatedness": str(relatedness) if relatedness else None, "years": years}  # fmt: skip
    manifest = outputs.manifest_entry(
        result, panel, options, level=level, inputs=inputs,  # type: ignore[arg-type]
        absent_note=absent_note, seconds=time.perf_counter() - started,
    )  # fmt: skip
    written = outputs.write_directory(out, outputs.tables(result), manifest)
    n_years = len({(d["region_type"], d["year"]) for d in result.diagnostics})
    console.print(
        f"Wrote {written}: {len(result.region):,} region rows, {len(result.industry):,} "
        f"industry rows, {len(result.density):,} density rows over {n_years} region-type years "
        f"in {manifest['timings_seconds']['total']} s"
    )


def _check_choices(
    presence: str, level: str, imputation: str, missing: str, absent: str | None, threshold: float
) -> None:
    """Each option's allowed values, refused with the option's name."""
    if presence != "rca":
        raise ValueError("--presence must be rca (RPOP needs population data, not supported)")
    if level not in ("industry", "cluster"):
        raise ValueError("--level must be industry or cluster")
    if imputation not in ("midpoint", "constrained", "source"):
        raise ValueError("--imputation must be midpoint, constrained or source")
    if missing not in ("error", "drop-industry"):
        raise ValueError("--missing must be error or drop-industry")
    if absent not in (None, "zero", "error"):
        raise ValueError("--absent must be zero or error")
    if threshold <= 0:
        raise ValueError("--threshold must be positive")


@dataclass(frozen=True)
class BuildOptions:
    """How the panel is formed (the options of ``build`` that are not about the output)."""

    level: str
    definitions: Path | None
    definitions_format: str
    imputation: str
    years: str | None
    missing: str
    industry_length: int | None


def _panel(spec: SourceSpec, o: BuildOptions) -> tuple[EmploymentPanel, pd.DataFrame | None]:
    """The panel of the industries or clusters, and the clusters' names (cluster level)."""
    from clusterobs.complexity.inputs import industry_panel, reader
    from clusterobs.sources.readers import read_source
    from clusterobs.tables.engine import connect

    engine = connect()
    console.print(f"Reading {spec.path} ({spec.format})")
    source = read_source(engine, spec)
    if o.level == "industry":
        panel = industry_panel(
            engine,
            source,
            detail=reader(spec.format).detail,
            industry_length=o.industry_length,
            imputation=o.imputation,  # type: ignore[arg-type]
            years=parse_years(o.years),
            missing=o.missing,  # type: ignore[arg-type]
            titles=_titles(spec.classification),
        )
        return panel, None
    panel = _cluster_panel(
        engine, source, o.definitions, o.definitions_format, spec.classification,
        o.imputation, o.years,
    )  # fmt: skip
    clusters = panel.industries[["industry_code", "industry_name"]].drop_duplicates()
    return panel, clusters.rename(
        columns={"industry_code": "cluster_code", "industry_name": "cluster_name"}
    )


def _absent_note(panel: EmploymentPanel, format: str, level: str, absent: str | None) -> str:
    """What an unlisted cell means, as the manifest states it (checked when it is an error)."""
    from clusterobs.complexity.inputs import reader

    if absent == "error" or (absent is None and reader(format).absent == "error"):
        _check_complete(panel)
        return "every cell must be listed (absent cells refused)"
    if level == "cluster":
        return (
            "clusters of the mapping engine: a region x cluster without employment in any of "
            "its industries is 0"
        )
    return reader(format).absent_note


def _check_complete(panel) -> None:
    from clusterobs.complexity.matrix import matrices_from_long

    matrices_from_long(panel.cells, absent="error", source="employment")


def _cluster_panel(
    engine, source, definitions, definitions_format, classification, imputation, years
):
    from clusterobs.classifications.store import ClassificationStore
    from clusterobs.complexity.inputs import cluster_panel
    from clusterobs.definitions.reader import load_definition
    from clusterobs.mapping import pipeline

    if definitions is None:
        raise ValueError("--level cluster needs --definitions")
    definition = load_definition(definitions, classification, format=definitions_format)
    try:
        store = ClassificationStore.load()
    except FileNotFoundError:
        store = ClassificationStore.empty()
    result = pipeline.build(
        source,
        definition,
        engine=engine,
        store=store,
        options=pipeline.MappingOptions(
            imputation=imputation, years=parse_years(years), subclusters=False
        ),
    )
    panel = cluster_panel(result.cluster_region_year, result.region_year)
    panel.notes["imputation"] = imputation
    panel.notes["mapping"] = {
        "mapped_share_of_employment": result.manifest.get("mapped_share_of_employment"),
        "unknown_industry_codes": (result.manifest.get("unknown_industry_codes") or {}).get(
            "count"
        ),
    }
    return panel


@app.command()
@reports_errors
def add(
    result: Annotated[Path, typer.Argument(help="A mapping result directory (with manifest).")],
    level: Annotated[str, typer.Option(help="cluster (the result's clusters) or industry.")] = (
        "cluster"
    ),
    threshold: Annotated[float, typer.Option(help="M = 1 where RCA >= threshold.")] = 1.0,
    relatedness: Annotated[
        Path | None, typer.Option(help="Proximity table or U.S. Cluster Mapping relatedness.")
    ] = None,
    relatedness_weights: str = "related",
    fitness: bool = False,
    neighbours: int = 25,
) -> None:
    """Add the complexity files to a published mapping result (the observatory shows them)."""
    import json

    import pandas as pd

    from clusterobs.complexity.outputs import write_complexity

    if not (result / "manifest.json").exists():
        raise FileNotFoundError(f"{result}: not a mapping result (no manifest.json)")
    clusters = None
    if level == "cluster" and relatedness is not None:
        crt = pd.read_parquet(
            result / "cluster_region_year.parquet", columns=["cluster_code", "cluster_name"]
        )
        clusters = crt.drop_duplicates("cluster_code")
    options = _options(threshold, fitness, neighbours, relatedness, relatedness_weights, clusters)
    classification = json.loads((result / "manifest.json").read_text()).get("definition") or {}
    entry = write_complexity(
        result,
        level=level,  # type: ignore[arg-type]
        options=options,
        titles=_titles(classification.get("classification", "")) if level == "industry" else None,
    )
    console.print(
        f"Added complexity ({level}) to {result}: {entry['rows']['complexity_region']:,} region "
        f"rows in {entry['timings_seconds']['total']} s"
    )
