"""The one build service: a :class:`BuildRequest` in, a written (and published) result out.

Why a service: the CLI (``clusterobs mapping build``), ``clusterobs init`` and the observatory's
recomputations (custom clusters) all build results. They describe *what* to build; this module
reads the source, runs the pipeline and writes the result with its inputs and manifest in one
atomic step (:func:`clusterobs.mapping.output.write_result`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clusterobs.classifications.store import ClassificationStore
from clusterobs.definitions.model import ClusterDefinition
from clusterobs.mapping import output, pipeline
from clusterobs.mapping.result import MappingOptions, MappingResult
from clusterobs.sources.readers import SourceSpec, default_regions, read_source
from clusterobs.sources.regions import read_regions
from clusterobs.tables.engine import Engine, EngineName, connect


@dataclass(frozen=True)
class BuildRequest:
    """Everything a build needs. ``definitions_path``, ``regions_path`` and
    ``relatedness_path`` are kept inside the result when given."""

    source: SourceSpec
    definition: ClusterDefinition
    options: MappingOptions = field(default_factory=MappingOptions)
    definitions_path: Path | None = None
    regions_path: Path | None = None
    relatedness_path: Path | None = None
    classifications_dir: Path | None = None
    engine: EngineName = "duckdb"
    memory_limit: str | None = None


def compute(
    request: BuildRequest,
    *,
    engine: Engine | None = None,
    progress: Callable[[str], None] | None = None,
) -> MappingResult:
    """Read the source and run the pipeline (nothing is written)."""
    engine = engine or connect(request.engine, memory_limit=request.memory_limit)
    store = ClassificationStore.load(request.classifications_dir)
    regions = (
        read_regions(request.regions_path)
        if request.regions_path
        else default_regions(request.source)
    )
    if progress:
        progress("read")
    source = read_source(engine, request.source)
    return pipeline.build(
        source,
        request.definition,
        engine=engine,
        store=store,
        regions=regions,
        options=request.options,
        relatedness=request.relatedness_path,
        progress=progress,
    )


def _inputs(request: BuildRequest) -> dict[str, Any]:
    """The manifest's ``inputs``: the files to keep in the result and how they were read."""
    builtin = "built-in U.S. states" if request.source.format == "cbp" else None
    return {
        "employment": str(request.source.path),
        "format": request.source.format,
        "source_options": request.source.options(),
        "definitions": str(request.definitions_path) if request.definitions_path else None,
        "regions": str(request.regions_path) if request.regions_path else builtin,
        "relatedness": str(request.relatedness_path) if request.relatedness_path else None,
    }


@dataclass
class BuildOutcome:
    result: MappingResult
    written: Path
    published: Path | None


def build_result(
    request: BuildRequest,
    out: Path,
    *,
    publish_to: tuple[Path, str] | None = None,
    progress: Callable[[str], None] | None = None,
    extra_manifest: dict[str, Any] | None = None,
    finish: Callable[[Path], object] | None = None,
) -> BuildOutcome:
    """Compute, write ``out`` atomically (tables, kept inputs, manifest with
    ``extra_manifest`` merged in) and optionally publish it into the platform's store as
    ``(results_dir, name)``. ``finish`` adds to the written directory before it is
    published (e.g. the complexity files of a higher layer), so the store only ever sees the
    complete result."""
    started = time.perf_counter()
    result = compute(request, progress=progress)
    if progress:
        progress("write")
    result.manifest.update(extra_manifest or {})
    result.manifest["timings_seconds"]["total"] = round(time.perf_counter() - started, 3)
    written = output.write_result(result, out, inputs=_inputs(request))
    if finish is not None:
        if progress:
            progress("complexity")
        finish(written)
    published = output.publish(written, *publish_to) if publish_to else None
    return BuildOutcome(result, written, published)


def warnings(manifest: dict[str, Any]) -> list[str]:
    """What a user must know before reading a result: definition codes that received no
    employment, tests that could not be applied, regions whose detailed industries cover too
    little of the published total or whose coverage jumps between years, and rows whose codes
    have no detailed rows beneath them."""
    out = [
        f"definition code {p['code']} (row {p['row']}): {p['reason']}"
        for p in (manifest.get("definition_codes") or {}).get("problems", [])
    ]
    out += [f"{t['test']} skipped: {t['why']}" for t in manifest.get("tests_skipped", [])]
    out += [w["message"] for w in manifest.get("coverage_warnings", [])]
    outside = manifest.get("rows_outside_the_detail_level") or {}
    if outside.get("no_detail_rows"):
        codes = ", ".join(repr(c["code"]) for c in outside["no_detail_codes"][:10])
        more = len(outside["no_detail_codes"]) - 10
        codes += f" and {more} more, all listed in the manifest" if more > 0 else ""
        out.append(
            f"{outside['no_detail_rows']} rows ({outside['no_detail_employment']:,.0f} employed) "
            f"have industry codes with no detailed rows beneath them ({codes}): their employment "
            "reaches no cluster and no detailed total, only the published totals"
        )
    return out
