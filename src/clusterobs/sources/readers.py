"""One entry point for every source format: a :class:`SourceSpec` names the file, its format
and the format's options; :func:`read_source` returns the canonical table.

Why a table of readers: the CLI, the build service and the observatory's recomputations all
start from "this file, in this format"; a new source module registers one reader here and is
then usable everywhere (``--format NAME``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from clusterobs.sources import cbp, census_india, eurostat, generic
from clusterobs.sources.regions import read_regions, us_states
from clusterobs.sources.schema import SourceTable
from clusterobs.tables.engine import Engine


@dataclass(frozen=True)
class SourceSpec:
    """A file and how to read it. ``columns``, ``classification`` (the vintage of the codes),
    ``region_type`` and ``total_code`` apply to the ``long`` format; ``measure`` to the
    Census of India tables (``total`` = main + marginal workers, ``main`` or ``marginal``)."""

    path: Path
    format: str = "cbp"
    columns: generic.LongColumns = field(default_factory=generic.LongColumns)
    classification: str = "UNKNOWN"
    region_type: str = "region"
    total_code: str | None = None
    measure: str = "total"

    def options(self) -> dict[str, Any]:
        """Everything but the path, as JSON values (kept in a result's manifest)."""
        values = asdict(self)
        values.pop("path")
        return values

    @classmethod
    def from_options(cls, path: Path, options: dict[str, Any] | None) -> SourceSpec:
        """The spec of a result's kept input; a result without recorded options was CBP."""
        options = dict(options or {"format": "cbp"})
        columns = generic.LongColumns(**(options.pop("columns", None) or {}))
        return cls(path=Path(path), columns=columns, **options)


def _read_cbp(engine: Engine, spec: SourceSpec) -> SourceTable:
    return cbp.read_cbp(engine, spec.path)


def _read_long(engine: Engine, spec: SourceSpec) -> SourceTable:
    return generic.read_long(
        engine,
        spec.path,
        columns=spec.columns,
        vintage=spec.classification,
        region_type=spec.region_type,
        total_code=spec.total_code,
    )


def _read_eurostat(engine: Engine, spec: SourceSpec) -> SourceTable:
    """A Eurostat ``sbs_r_*`` bulk TSV (NUTS codes of earlier versions matched to NUTS 2021
    through the embedded correspondence) or the embedded canonical Parquet copy. The bounded
    estimates of confidential cells come along in ``employment_estimated``; a build uses them
    only when asked to (``--imputation source``), else the cells stay unimputed and counted."""
    if spec.path.suffix == ".parquet":
        imported = eurostat.read_sbs_parquet(engine, spec.path, estimated=True)
    else:
        nuts = pd.read_csv(
            eurostat.EMBEDDED_SBS.with_name("nuts_correspondence.csv"),
            dtype={"code": str, "target_code": str},
            keep_default_na=False,
        )
        nuts["matched"] = nuts["matched"].astype(str).eq("True")
        nuts["target_code"] = nuts["target_code"].replace("", pd.NA).astype("string")
        imported = eurostat.read_sbs(engine, spec.path, correspondence=nuts, estimate="bounded")
    assert imported.source is not None  # an engine was given
    return imported.source


def _read_census_india(engine: Engine, spec: SourceSpec) -> SourceTable:
    """Census of India B-18 (a state's file) or the embedded canonical Parquet copy."""
    measure = spec.measure
    if measure not in ("total", "main", "marginal"):
        raise ValueError(f"--measure must be total, main or marginal, got {measure!r}")
    if spec.path.suffix == ".parquet":
        imported = census_india.read_b18_parquet(engine, spec.path, measure=measure)  # type: ignore[arg-type]
    else:
        imported = census_india.read_b18(engine, spec.path, measure=measure)  # type: ignore[arg-type]
    assert imported.source is not None
    return imported.source


def _eu_regions() -> pd.DataFrame:
    return read_regions(eurostat.EMBEDDED_REGIONS)


def _india_regions() -> pd.DataFrame:
    return read_regions(census_india.EMBEDDED_REGIONS)


#: format -> (reader, built-in region table of the format or None)
READERS: dict[
    str, tuple[Callable[[Engine, SourceSpec], SourceTable], Callable[[], pd.DataFrame] | None]
] = {
    "cbp": (_read_cbp, us_states),
    "long": (_read_long, None),
    "eurostat": (_read_eurostat, _eu_regions),
    "census-in": (_read_census_india, _india_regions),
}
FORMATS = tuple(READERS)


def read_source(engine: Engine, spec: SourceSpec) -> SourceTable:
    """The canonical table of ``spec`` (``ValueError`` for an unknown format)."""
    if spec.format not in READERS:
        raise ValueError(f"unknown format {spec.format!r}; use one of {', '.join(FORMATS)}")
    return READERS[spec.format][0](engine, spec)


def default_regions(spec: SourceSpec) -> pd.DataFrame | None:
    """The region table a format brings (CBP: the U.S. states), else ``None``."""
    regions = READERS[spec.format][1] if spec.format in READERS else None
    return regions() if regions else None
